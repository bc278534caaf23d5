"""E-mail as the citizen receives it, through a real SMTP server."""

from __future__ import annotations

import pytest

from portal.notifications import actions
from portal.notifications.models import NotificationTemplate, Status
from testing.servers import run_worker

CONTEXT = {
    "name": "Begoña <Ñúñez>",
    "folio": "IMSS-2025-000777",
    "service_name": "Alta patronal",
    "agency_name": "Instituto Mexicano del Seguro Social",
    "resolution": "aprobada",
    "url": "https://ventanilla.example/mi-expediente/IMSS-2025-000777/",
}


@pytest.mark.django_db
def test_an_email_arrives_in_utf8_with_its_subject_text_and_html(default_templates, database_queue, smtp_settings):
    NotificationTemplate.objects.filter(event="application.resolved", channel="email").update(
        html_body="<p>Hola, {{ name }}: su trámite {{ folio }} fue resuelto.</p>"
    )
    notification = actions.do_notify("application.resolved", "email", "Begona@Example.ORG", CONTEXT, "application:777")
    run_worker()
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED

    [mail] = smtp_settings.messages
    assert mail.rcpt_tos == ("Begona@example.org",)
    assert mail.subject == "Su solicitud IMSS-2025-000777 fue resuelta"
    assert "Hola, Begoña <Ñúñez>:" in mail.text
    assert "Instituto Mexicano del Seguro Social resolvió su solicitud de «Alta patronal»" in mail.text
    assert mail.html == "<p>Hola, Begoña &lt;Ñúñez&gt;: su trámite IMSS-2025-000777 fue resuelto.</p>"
    assert mail.message["Message-ID"] == notification.provider_message_id
    assert mail.message["From"] == "Ventanilla <no-responder@localhost>"


@pytest.mark.django_db
def test_a_template_edited_after_queueing_does_not_change_the_queued_message(
    default_templates, database_queue, smtp_settings
):
    actions.do_notify("application.resolved", "email", "ana@example.org", CONTEXT, "application:778")
    NotificationTemplate.objects.filter(event="application.resolved", channel="email").update(subject="Otro asunto")
    run_worker()
    assert smtp_settings.messages[0].subject == "Su solicitud IMSS-2025-000777 fue resuelta"
