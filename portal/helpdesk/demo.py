"""The help desk's part of ``manage.py seed_demo``: a few questions to the demo entities (about one of their services,
or about another matter) and one to the portal team, in every status, so that /oficina/ayuda/ shows a queue, a history
and its counts. The demo case workers (``tramitador.<siglas>``, docs/demo.md) work them; the demo ``admin`` (a portal
administrator) works the portal team's.

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it. It runs
only in development (``DEBUG``) or with ``--with-accounts`` and is idempotent: once demo tickets exist it does
nothing. Tickets go through the same actions as the pages, with past dates, so every event and e-mail is what the
portal would have produced (to ``.example`` addresses, which reach nobody).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries

from . import actions
from .models import Ticket, TicketStatus

DEMO_AFTER = ("agencies", "services", "accounts")
DEMO_AGENCIES = ("SRE", "IMSS", "SAT", "BIENESTAR", "GOBCOL")
DEMO_DOMAIN = "ayuda.example"
QUESTIONS = (
    "No encuentro dónde subir mi acta de nacimiento para terminar la solicitud en línea.",
    "El sistema me dice que mi CURP no es válida, pero es la que aparece en mi constancia.",
    "Ya pagué el derecho pero la solicitud sigue diciendo que falta el pago. ¿Qué hago?",
    "¿Puedo hacer este trámite por otra persona si tengo una carta poder?",
    "No me llegó el correo con el acuse de recibo después de enviar la solicitud.",
)
ANSWERS = (
    "Súbala en el paso «Documentos», con el botón «Subir archivo». Si sigue sin poder, responda a este mensaje.",
    "Revise que no tenga espacios al final. Si el problema sigue, envíenos una captura de la pantalla.",
    "El pago tarda hasta 48 horas en reflejarse. Si pasado ese tiempo no aparece, responda con su línea de captura.",
)
# (status to end in, days ago, answered after hours)
PLAN = (
    (TicketStatus.NEW, 1, None),
    (TicketStatus.IN_PROGRESS, 3, None),
    (TicketStatus.WAITING, 6, 5),
    (TicketStatus.RESOLVED, 9, 20),
    (TicketStatus.CLOSED, 25, 30),
)


def load_demo(seed: Any) -> None:
    if not (settings.DEBUG or seed.with_accounts):
        return
    if Ticket.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        seed.say(_("Preguntas de ayuda de demostración: ya existen."))
        return
    now = timezone.now()
    count = 0
    for index, acronym in enumerate(DEMO_AGENCIES):
        agency = agency_queries.agency_by_acronym(acronym)
        if agency is None:
            continue
        service = service_queries.service_list().filter(agency=agency).order_by("title").first()
        worker = get_user_model().objects.filter(username=f"tramitador.{acronym.lower()}").first()
        for step, (status, days_ago, answered_after) in enumerate(PLAN):
            n = index * len(PLAN) + step
            _ticket(
                now - dt.timedelta(days=days_ago, hours=index),
                status,
                answered_after,
                worker,
                n,
                service=service if step % 2 == 0 else None,
                agency=agency,
            )
            count += 1
    admin = get_user_model().objects.filter(username="admin").first()
    _ticket(now - dt.timedelta(days=2), TicketStatus.NEW, None, admin, count)
    seed.say(_("Preguntas de ayuda de demostración: %(count)s") % {"count": count + 1})


def _ticket(
    when: dt.datetime,
    status: str,
    answered_after: int | None,
    worker: Any,
    n: int,
    *,
    service: Any = None,
    agency: Any = None,
) -> None:
    ticket = actions.do_open_ticket(
        question=QUESTIONS[n % len(QUESTIONS)],
        email=f"persona{n:02d}@{DEMO_DOMAIN}",
        name=f"Persona {n:02d}" if n % 3 else "",
        service=service,
        agency=agency,
        now=when,
    )
    if worker is None or status == TicketStatus.NEW:
        return
    actions.do_assign_to_me(ticket, worker, now=when + dt.timedelta(hours=1))
    if answered_after is None:
        return
    answer_status = TicketStatus.WAITING if status == TicketStatus.WAITING else TicketStatus.RESOLVED
    actions.do_answer(
        ticket, worker, ANSWERS[n % len(ANSWERS)], status=answer_status, now=when + dt.timedelta(hours=answered_after)
    )
    if status == TicketStatus.CLOSED:
        actions.do_change_status(ticket, worker, TicketStatus.CLOSED, now=when + dt.timedelta(days=15))
