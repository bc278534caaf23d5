"""The default template of the reply to an SMS a person sent: the handler's text as it is.

Reversible like 0002: going back deletes the template only while nobody has edited it.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

TEMPLATES = [{"event": "sms.reply", "channel": "sms", "subject": "", "body": "{{ text }}", "html_body": ""}]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_inbound_sms")]

    operations = [migrations.RunPython(seed, unseed)]
