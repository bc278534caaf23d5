"""The e-mail «Su solicitud fue resuelta» invites to the satisfaction survey (docs/insights.md, «Comentarios y
satisfacción»): the case's page, which the e-mail already links to, asks the one question once the case is resolved.

Only the default Spanish template as 0002 seeded it is changed; a template an administrator edited is left as they
wrote it (they can add the line themselves). Reversible in the same way: going back restores 0002's text only where the
template still has this migration's.
"""

from django.db import migrations

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
BEFORE = (
    "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
    "{{ agency_name }} resolvió su solicitud de «{{ service_name }}» (folio {{ folio }}): {{ resolution }}.\n\n"
    "Consulte la resolución y, en su caso, sus documentos en:\n{{ url }}"
)
SURVEY_LINE = (
    "\n\n¿Qué tan satisfecho quedó con este servicio? En la misma página puede decírnoslo con una sola pregunta; "
    "nos ayuda a mejorar el trámite."
)
OLD = BEFORE + SIGNATURE
NEW = BEFORE + SURVEY_LINE + SIGNATURE


def _swap(apps, old: str, new: str) -> None:
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    NotificationTemplate.objects.filter(event="application.resolved", channel="email", language="es", body=old).update(
        body=new
    )


def add_line(apps, schema_editor):
    _swap(apps, OLD, NEW)


def remove_line(apps, schema_editor):
    _swap(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_seed_sms_reply_template")]

    operations = [migrations.RunPython(add_line, remove_line)]
