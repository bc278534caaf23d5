"""Default Spanish templates for a petition received, answered or forwarded (e-mail and SMS); administrators edit
them in the admin. The events are declared in ``portal/notifications/events.py``.

Reversible as the notifications app's own seeds: going back deletes these templates only while nobody has edited
them. The SMS texts avoid accented letters so that they stay in the GSM alphabet (160 characters a segment), and
carry no free text the person or the staff typed.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
DATE = "{{ due_date|date:'j \\d\\e F \\d\\e Y' }}"

TEMPLATES = [
    {
        "event": "petition.received",
        "channel": "email",
        "subject": "Recibimos su petición {{ folio }}",
        "body": (
            GREETING + "{{ agency_name }} recibió su petición «{{ subject }}» con el folio {{ folio }}.\n\n"
            "Por ley le deben responder por escrito a más tardar el " + DATE + ".\n\n"
            "Consulte su petición y su historial en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "petition.received",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: recibimos su peticion {{ folio }}. Respuesta a mas tardar el {{ due_date|date:'d/m/Y' }}.",
        "html_body": "",
    },
    {
        "event": "petition.answered",
        "channel": "email",
        "subject": "Su petición {{ folio }} tiene respuesta",
        "body": (
            GREETING + "{{ agency_name }} respondió su petición «{{ subject }}» (folio {{ folio }}).\n\n"
            "Lea la respuesta y descárguela en PDF en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "petition.answered",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: su peticion {{ folio }} tiene respuesta. Consultela en {{ url }}",
        "html_body": "",
    },
    {
        "event": "petition.forwarded",
        "channel": "email",
        "subject": "Su petición {{ folio }} se turnó a {{ to_agency_name }}",
        "body": (
            GREETING + "{{ agency_name }} turnó su petición «{{ subject }}» (folio {{ folio }}) a "
            "{{ to_agency_name }}, la institución competente para responderla.\n\n"
            "El plazo de {{ to_agency_name }} empezó a contar el día en que la recibió: le debe responder a más "
            "tardar el " + DATE + ".\n\nVea el motivo y el historial en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "petition.forwarded",
        "channel": "sms",
        "subject": "",
        "body": (
            "Ventanilla: su peticion {{ folio }} se turno a otra institucion. "
            "Respuesta a mas tardar el {{ due_date|date:'d/m/Y' }}."
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
        ("participation", "0001_initial"),
        ("notifications", "0003_seed_draft_expiring_templates"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
