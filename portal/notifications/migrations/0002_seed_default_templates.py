"""Default Spanish templates for the first four events; administrators edit them in the Wagtail admin.

Reversible: going back deletes only the templates this migration created, identified by event, channel and language,
and only if nobody has edited them since (their text is still the seeded one).

The SMS texts avoid á, í, ó and ú on purpose: those letters are not in the GSM alphabet and would make every message
UCS-2, cutting a segment from 160 to 70 characters (docs/notifications.md).
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."

TEMPLATES = [
    {
        "event": "account.verification_code",
        "channel": "email",
        "subject": "Código para verificar su cuenta de Ventanilla",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "Su código de verificación es:\n\n    {{ code }}\n\n"
            "Vence en {{ minutes_valid }} minutos. Nadie de Ventanilla se lo pedirá por teléfono ni por correo: "
            "no lo comparta.\n\nSi usted no pidió este código, ignore este mensaje." + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "account.verification_code",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: su codigo de verificacion es {{ code }}. Vence en {{ minutes_valid }} min. No lo comparta con nadie.",
        "html_body": "",
    },
    {
        "event": "application.submitted",
        "channel": "email",
        "subject": "Recibimos su solicitud {{ folio }}",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "{{ agency_name }} recibió su solicitud de «{{ service_name }}» el "
            "{{ submitted_at|date:'j \\d\\e F \\d\\e Y, H:i' }} h.\n\n"
            "Folio: {{ folio }}\n\n"
            "Puede ver el avance de su trámite en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "application.submitted",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: recibimos su solicitud {{ folio }}. Vea el avance en {{ url }}",
        "html_body": "",
    },
    {
        "event": "application.information_requested",
        "channel": "email",
        "subject": "Su solicitud {{ folio }} necesita información",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "{{ agency_name }} necesita información o documentos adicionales para continuar con su solicitud de "
            "«{{ service_name }}» (folio {{ folio }}).\n\n"
            "Tiene hasta el {{ due_date|date:'j \\d\\e F \\d\\e Y' }} para responder en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "application.information_requested",
        "channel": "sms",
        "subject": "",
        "body": (
            "Ventanilla: su solicitud {{ folio }} necesita informacion. Responda antes del "
            "{{ due_date|date:'d/m/Y' }} en {{ url }}"
        ),
        "html_body": "",
    },
    {
        "event": "application.resolved",
        "channel": "email",
        "subject": "Su solicitud {{ folio }} fue resuelta",
        "body": (
            "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
            "{{ agency_name }} resolvió su solicitud de «{{ service_name }}» (folio {{ folio }}): {{ resolution }}.\n\n"
            "Consulte la resolución y, en su caso, sus documentos en:\n{{ url }}" + SIGNATURE
        ),
        "html_body": "",
    },
    {
        "event": "application.resolved",
        "channel": "sms",
        "subject": "",
        "body": "Ventanilla: su solicitud {{ folio }} fue resuelta ({{ resolution }}). Consultela en {{ url }}",
        "html_body": "",
    },
]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
