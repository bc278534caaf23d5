"""Default Spanish templates for the moderators' decision on a public petition (e-mail and SMS); the event is declared
in ``portal/notifications/events.py``. Reversible as ``0002``: going back deletes these templates only while nobody
has edited them. The SMS avoids accented letters (GSM alphabet) and carries no text anyone typed.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"

TEMPLATES = [
    {
        "event": "petition.moderated",
        "channel": "email",
        "subject": (
            "Su petición {{ folio }} {% if decision == 'published' %}se publicó{% else %}no se publicará{% endif %}"
        ),
        "body": (
            GREETING + "Sobre su petición «{{ subject }}» (folio {{ folio }}) a {{ agency_name }}:\n\n"
            "{% if decision == 'published' %}Se publicó y recibe apoyos de personas con cuenta verificada hasta el "
            "{{ supports_close_on }}. Su página pública:\n{{ public_url }}"
            "{% elif decision == 'duplicate' %}No se publicará porque pide lo mismo que la petición pública "
            "{{ original_folio }}. Puede apoyarla en:\n{{ public_url }}"
            "{% else %}No se publicará, por esta regla de publicación: {{ rule }}.\n"
            "Las reglas: {{ rules_url }}{% endif %}\n\n"
            "En cualquier caso, {{ agency_name }} debe responderle por escrito en el plazo legal. "
            "Consulte su petición y su historial en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "petition.moderated",
        "channel": "sms",
        "subject": "",
        "body": (
            "Ventanilla: su peticion {{ folio }} {% if decision == 'published' %}se publico{% else %}no se "
            "publicara{% endif %}. Detalles en {{ url }}"
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
        ("participation", "0005_support_abuse_controls"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
