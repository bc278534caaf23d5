"""Default Spanish templates for a public petition that reached a threshold of supports (e-mail and SMS); the event is
declared in ``portal/notifications/events.py``. Reversible as ``0002``: going back deletes these templates only while
nobody has edited them. The SMS avoids accented letters (GSM alphabet) and carries no text anyone typed.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"

TEMPLATES = [
    {
        "event": "petition.threshold",
        "channel": "email",
        "subject": "Su petición {{ folio }} alcanzó {{ threshold }} apoyos",
        "body": (
            GREETING + "Su petición pública «{{ subject }}» (folio {{ folio }}) a {{ agency_name }} alcanzó "
            "{{ threshold }} apoyos de personas con cuenta verificada.\n\n"
            "Con ese número corresponde: {{ duty }}.\n\n"
            "Consulte su petición y su historial en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "petition.threshold",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: su peticion {{ folio }} alcanzo {{ threshold }} apoyos. Consultela en {{ url }}",
        "html_body": "",
    },
]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0003_public_petitions"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
