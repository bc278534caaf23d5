"""Default Spanish e-mail templates for a help-desk question received and answered; administrators edit them in the
admin. The events are declared in ``portal/notifications/events.py``.

Reversible as the notifications app's own seeds: going back deletes these templates only while nobody has edited
them. The answer's e-mail carries the answer's text: the person asked by e-mail and expects the answer there.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"

TEMPLATES = [
    {
        "event": "helpdesk.received",
        "channel": "email",
        "subject": "Recibimos su pregunta {{ folio }}",
        "body": (
            GREETING + "Recibimos su pregunta sobre «{{ topic }}» con el folio {{ folio }}. "
            "La atiende: {{ agency_name }}.\n\n"
            "Le avisaremos por este medio cuando le respondan. Para ver cómo va, entre a la página de seguimiento "
            "con su folio y este correo:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "helpdesk.answered",
        "channel": "email",
        "subject": "Respuesta a su pregunta {{ folio }}",
        "body": (
            GREETING + "{{ agency_name }} respondió su pregunta sobre «{{ topic }}» (folio {{ folio }}):\n\n"
            "{{ answer }}\n\n"
            "Si necesita algo más, responda desde la página de seguimiento, con su folio y este correo:\n{{ url }}"
            + SIGNATURE
        ),
        "html_body": "",
    },
]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_tickets"),
        ("notifications", "0005_seed_sms_reply_template"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
