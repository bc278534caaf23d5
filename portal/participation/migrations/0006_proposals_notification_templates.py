"""Default Spanish templates of the proposals' notices (e-mail and SMS); the events are declared in
``portal/notifications/events.py``. Reversible as ``0002``: going back deletes these templates only while nobody has
edited them. The SMS avoid accented letters (GSM alphabet) and carry no text anyone typed.
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
DATE = "|date:'j \\d\\e F \\d\\e Y'"


def _pair(event: str, subject: str, body: str, sms: str) -> list[dict]:
    return [
        {"event": event, "channel": "email", "subject": subject, "body": GREETING + body + SIGNATURE, "html_body": ""},
        {"event": event, "channel": "sms", "subject": "", "body": sms, "html_body": ""},
    ]


TEMPLATES = [
    *_pair(
        "proposal.published",
        "Su propuesta {{ code }} se publicó",
        "Su propuesta «{{ title }}» a {{ agency_name }} se publicó con el folio {{ code }}.\n\n"
        "Si reúne {{ threshold }} apoyos de personas con cuenta verificada a más tardar el {{ deadline" + DATE + " }}, "
        "{{ agency_name }} deberá responderla.\n\nCompártala; esta es su página:\n{{ url }}",
        "Ventanilla: su propuesta {{ code }} se publico. Apoyos hasta el {{ deadline|date:'d/m/Y' }}. {{ url }}",
    ),
    *_pair(
        "proposal.refused",
        "Su propuesta no se publicó",
        "Su propuesta «{{ title }}» a {{ agency_name }} no se publicó por esta regla: {{ reason }}.\n\n"
        "Puede escribir una nueva propuesta que cumpla las reglas:\n{{ url }}",
        "Ventanilla: su propuesta {{ code }} no se publico. Vea el motivo en {{ url }}",
    ),
    *_pair(
        "proposal.threshold",
        "Su propuesta {{ code }} alcanzó {{ threshold }} apoyos",
        "Su propuesta «{{ title }}» alcanzó {{ threshold }} apoyos de personas con cuenta verificada.\n\n"
        "{{ agency_name }} debe responderla a más tardar el {{ answer_due" + DATE + " }}.\n\n"
        "Consulte su propuesta en:\n{{ url }}",
        "Ventanilla: su propuesta {{ code }} alcanzo {{ threshold }} apoyos. Consultela en {{ url }}",
    ),
    *_pair(
        "proposal.answered",
        "La propuesta {{ code }} tiene respuesta",
        "{{ agency_name }} respondió la propuesta «{{ title }}» (folio {{ code }}): {{ decision }}.\n\n"
        "Lea la respuesta y, si se aceptó, siga sus avances en:\n{{ url }}",
        "Ventanilla: la propuesta {{ code }} tiene respuesta: {{ decision }}. {{ url }}",
    ),
    *_pair(
        "proposal.completed",
        "La propuesta {{ code }} se completó",
        "{{ agency_name }} informa que completó la propuesta «{{ title }}» (folio {{ code }}).\n\n"
        "Vea todos sus avances en:\n{{ url }}",
        "Ventanilla: la propuesta {{ code }} se completo. Vea sus avances en {{ url }}",
    ),
]


def seed(apps, schema_editor):
    seed_templates(apps, TEMPLATES)


def unseed(apps, schema_editor):
    unseed_templates(apps, TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_proposals"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
