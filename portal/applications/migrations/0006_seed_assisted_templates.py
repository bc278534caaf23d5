"""Default Spanish templates of the notice that a clerk started filling in an application for the person (assisted
service, docs/assisted-service.md). Reversible as the other seeds; the SMS stays in the GSM alphabet."""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

TEMPLATES = [
    {
        "event": "application.assisted",
        "channel": "email",
        "subject": "Personal de ventanilla llena su solicitud de {{ service_name }}",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "El {{ consented_at|date:'j \\d\\e F \\d\\e Y, H:i' }} usted autorizó al personal de ventanilla de "
            "{{ office_name }} a llenar y enviar en su nombre la solicitud del trámite {{ service_name }}.\n\n"
            "Verá la solicitud y su avance en su cuenta de Ventanilla. Si usted no dio esta autorización, avísenos "
            "respondiendo desde la sección de ayuda del portal o acuda a la oficina."
            "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
        ),
        "html_body": "",
    },
    {
        "event": "application.assisted",
        "channel": "sms",
        "subject": "",
        "body": (
            "Ventanilla: con su autorizacion, personal de {{ office_name }} llena su solicitud de {{ service_name }}."
            " Si usted no la dio, acuda a la oficina."
        ),
        "html_body": "",
    },
]


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_assisted_sessions"),
        ("notifications", "0003_seed_draft_expiring_templates"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: seed_templates(apps, TEMPLATES),
            lambda apps, schema_editor: unseed_templates(apps, TEMPLATES),
        )
    ]
