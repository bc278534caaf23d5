"""Default Spanish templates of the appointments' notices (e-mail and SMS); administrators edit them in the admin.
The events are declared in ``portal/notifications/events.py``.

Reversible as the other seeds: going back deletes a template only while nobody has edited it. The SMS texts avoid
accented letters so that they stay in the GSM alphabet (160 characters a segment).
"""

from django.db import migrations

from portal.notifications.seeding import seed_templates, unseed_templates

SIGNATURE = "\n\n—\nVentanilla · Gobierno de México\nEste mensaje se envió automáticamente; no responda a este correo."
GREETING = "{% if name %}Hola, {{ name }}:{% else %}Hola:{% endif %}\n\n"
WHERE = (
    "Trámite: {{ service_name }}\nOficina: {{ office_name }}\n{% if office_address %}Dirección: {{ office_address }}\n"
    "{% endif %}Día y hora: {{ when }}\nCódigo de la cita: {{ code }}\n\n"
)
BRING = "Llegue 10 minutos antes con una identificación oficial y los requisitos del trámite.\n\n"
MANAGE = "Para ver su cita, descargarla al calendario, cambiarla o cancelarla:\n{{ url }}"


def _email(event, subject, body):
    return {"event": event, "channel": "email", "subject": subject, "body": body, "html_body": ""}


def _sms(event, body):
    return {"event": event, "channel": "sms", "subject": "", "body": body, "html_body": ""}


TEMPLATES = [
    _email(
        "appointment.booked",
        "Su cita {{ code }}: {{ when }}",
        GREETING + "Su cita quedó agendada.\n\n" + WHERE + BRING + MANAGE + SIGNATURE,
    ),
    _sms(
        "appointment.booked",
        "Ventanilla: cita {{ code }} el {{ when }} en {{ office_name }}. Para cancelar responda CANCELAR {{ code }}",
    ),
    _email(
        "appointment.rescheduled",
        "Su cita {{ code }} cambió de horario: {{ when }}",
        GREETING + "Su cita cambió de horario; el horario anterior quedó libre.\n\n" + WHERE + BRING + MANAGE + SIGNATURE,
    ),
    _sms("appointment.rescheduled", "Ventanilla: su nueva cita {{ code }} es el {{ when }} en {{ office_name }}."),
    _email(
        "appointment.reminder",
        "Recordatorio: su cita es mañana, {{ when }}",
        GREETING + "Le recordamos su cita.\n\n" + WHERE + BRING
        + "Si ya no puede ir, cancélela para que otra persona use el horario:\n{{ url }}" + SIGNATURE,
    ),
    _sms(
        "appointment.reminder",
        "Ventanilla: recuerde su cita {{ code }} manana {{ when }} en {{ office_name }}. Si no puede ir responda"
        " CANCELAR {{ code }}",
    ),
    _email(
        "appointment.cancelled",
        "Su cita {{ code }} quedó cancelada",
        GREETING + "Su cita {{ code }} del {{ when }} en {{ office_name }} quedó cancelada.\n\n"
        "Si necesita otra, agéndela en el portal." + SIGNATURE,
    ),
    _sms("appointment.cancelled", "Ventanilla: su cita {{ code }} del {{ when }} quedo cancelada."),
    _email(
        "appointment.cancelled_by_office",
        "Su cita {{ code }} se canceló: la oficina no abrirá",
        GREETING + "Lamentamos avisarle que su cita {{ code }} del {{ when }} en {{ office_name }} se canceló porque "
        "{{ reason }}.\n\nAgende otra en el portal; tiene prioridad para hacerlo ya." + SIGNATURE,
    ),
    _sms(
        "appointment.cancelled_by_office",
        "Ventanilla: su cita {{ code }} del {{ when }} se cancelo; la oficina no abrira. Agende otra en el portal.",
    ),
    _email(
        "appointment.offered",
        "Hay un lugar para su trámite: acéptelo antes de {{ answer_by }}",
        GREETING + "Se liberó un lugar y usted es la siguiente persona de la lista de espera.\n\n" + WHERE
        + "Acéptelo antes de {{ answer_by }}; después se ofrecerá a la siguiente persona:\n{{ url }}" + SIGNATURE,
    ),
    _sms(
        "appointment.offered",
        "Ventanilla: hay un lugar para {{ service_name }} el {{ when }}. Aceptelo antes de {{ answer_by }} en {{ url }}",
    ),
    _sms("queue.next", "Ventanilla: su turno {{ number }} es el siguiente en {{ office_name }}. Acerquese a las ventanillas."),
]


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("notifications", "0003_seed_draft_expiring_templates"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: seed_templates(apps, TEMPLATES),
            lambda apps, schema_editor: unseed_templates(apps, TEMPLATES),
        )
    ]
