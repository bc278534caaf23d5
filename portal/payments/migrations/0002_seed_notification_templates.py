"""Default Spanish templates of the payments' notices; administrators edit them in the admin. The events are declared
in ``portal/notifications/events.py``. SMS texts avoid accented letters (GSM alphabet, 160 characters a segment)."""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"


def _email(event, subject, body):
    return {"event": event, "channel": "email", "subject": subject, "body": body, "html_body": ""}


def _sms(event, body):
    return {"event": event, "channel": "sms", "subject": "", "body": body, "html_body": ""}


TEMPLATES = [
    _email(
        "payment.reference_issued",
        "Su línea de captura: {{ amount }} hasta el {{ expires_on }}",
        GREETING + "Para continuar su trámite pague {{ amount }} por «{{ concept }}».\n\n"
        "Línea de captura: {{ reference }}\nPague a más tardar el {{ expires_on }}.\n\n"
        "Puede pagar en línea con tarjeta, en la ventanilla de su banco, por transferencia o en tiendas, con la hoja de "
        "ayuda que descarga aquí:\n{{ url }}" + SIGNATURE,
    ),
    _sms(
        "payment.reference_issued",
        "Ventanilla: pague {{ amount }} con la linea de captura {{ reference }} antes del {{ expires_on }}. {{ url }}",
    ),
    _email(
        "payment.received",
        "Recibimos su pago de {{ amount }}",
        GREETING + "Recibimos su pago de {{ amount }} por «{{ concept }}» con la línea de captura {{ reference }}.\n\n"
        "Su recibo, que cualquiera puede verificar, está aquí:\n{{ url }}" + SIGNATURE,
    ),
    _sms("payment.received", "Ventanilla: recibimos su pago de {{ amount }}. Recibo: {{ url }}"),
    _email(
        "payment.refunded",
        "Le devolvimos {{ amount }}",
        GREETING + "Le devolvimos {{ amount }} de su pago por «{{ concept }}».\n\nMotivo: {{ reason }}\n\n"
        "El dinero llega a la tarjeta o cuenta con la que pagó en los días que tarde su banco.\n{{ url }}" + SIGNATURE,
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("notifications", "0003_seed_draft_expiring_templates"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: seed_templates(apps, TEMPLATES),
            lambda apps, schema_editor: unseed_templates(apps, TEMPLATES),
        )
    ]
