"""Seeding default templates from data migrations: the same get-or-create and the same careful undo for every batch.

Used by the migrations that ship default Spanish templates; going back deletes a template only while its text is
still the seeded one, so an administrator's edits are never lost.
"""

from __future__ import annotations


def seed_templates(apps, templates: list[dict]) -> None:
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for template in templates:
        NotificationTemplate.objects.get_or_create(
            event=template["event"],
            channel=template["channel"],
            language="es",
            defaults={
                "subject": template["subject"],
                "body": template["body"],
                "html_body": template["html_body"],
                "max_segments": 3,
            },
        )


def unseed_templates(apps, templates: list[dict]) -> None:
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for template in templates:
        NotificationTemplate.objects.filter(
            event=template["event"],
            channel=template["channel"],
            language="es",
            subject=template["subject"],
            body=template["body"],
            html_body=template["html_body"],
        ).delete()
