"""Default Spanish template for the supporters of a public petition that reached a threshold (e-mail only: the
event is declared in ``portal/notifications/events.py``). Reversible as ``0002``."""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"

TEMPLATES = [
    {
        "event": "petition.threshold_supporters",
        "channel": "email",
        "subject": "Una petición que usted apoya alcanzó {{ threshold }} apoyos",
        "body": (
            GREETING + "La petición pública «{{ subject }}» (folio {{ folio }}) a {{ agency_name }}, que usted "
            "apoya, alcanzó {{ threshold }} apoyos de personas con cuenta verificada.\n\n"
            "{% if duty %}Con ese número corresponde: {{ duty }}.\n\n{% endif %}"
            "Consulte la petición en:\n{{ url }}" + SIGNATURE
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
        ("participation", "0007_merge_parts"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
