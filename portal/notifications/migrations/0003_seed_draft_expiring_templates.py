"""Default Spanish templates for «a draft is about to expire» (email and SMS); administrators edit them in the admin.

Reversible in the same way as 0002: going back deletes these templates only while nobody has edited them. The SMS
text avoids á, é, í, ó, ú so that it stays in the GSM alphabet (160 characters a segment).
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."

TEMPLATES = [
    {
        "event": "application.draft_expiring",
        "channel": "email",
        "subject": "Su solicitud de «{{ service_name }}» sin enviar vence pronto",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "Empezó una solicitud de «{{ service_name }}» ante {{ agency_name }} y aún no la envía. Guardamos sus "
            "respuestas y documentos hasta el {{ expires_at|date:'j \\d\\e F \\d\\e Y, H:i' }} h; después se borran.\n\n"
            "Para continuar y enviarla, entre a:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "application.draft_expiring",
        "channel": "sms",
        "subject": "",
        "body": (
            "Ventanilla: su solicitud sin enviar vence el {{ expires_at|date:'d/m/Y' }}. "
            "Continuela en {{ url }}"
        ),
        "html_body": "",
    },
]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_seed_default_templates")]

    operations = [migrations.RunPython(seed, unseed)]
