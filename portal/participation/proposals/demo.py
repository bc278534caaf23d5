"""Demo data of proposals for `make run`: called by ``portal/participation/demo.py`` after the petitions.

About forty proposals to the demo entities (``DEMO_AGENCIES``), in every state: pending and refused by the
moderators, open with various counts, expired, at the threshold awaiting an answer, not accepted, accepted with two to
four progress updates, and completed; some with comments. They go through the same actions as the pages, with past
dates, so every event, deadline and answer date is what the portal would have produced.

Two demo shortcuts, both documented in docs/participation-proposals.md: the demo entities ask for
``DEMO_THRESHOLD`` supports (not the default 1,000), and the demo's supporters (``proposals.ciudadana.NN``) are not
verified accounts (the demo registry has one verified person), so their supports go through the action's inner step
``actions._add_support``, which skips only the verification. The demo accounts have no verified contact: no notice is
queued. Idempotent: once the demo proposals exist it does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import business_days
from portal.participation.demo import DEMO_AGENCIES, demo_user, participation_staff

from . import actions, queries
from .models import Proposal, ProposalSettings

DEMO_PREFIX = "proposals.ciudadana."
DEMO_CITIZENS = 24
DEMO_THRESHOLD = 20
DEMO_PROPOSALS = 40
IDEAS = (
    (
        "Ciclovía protegida en la avenida principal",
        "Un carril exclusivo para bicicletas, separado de los autos, de punta a punta de la avenida.",
    ),
    ("Ventanilla nocturna una vez por semana", "Abrir una ventanilla hasta las 21:00 los jueves para quien trabaja."),
    ("Citas por teléfono para personas mayores", "Una línea para agendar citas sin internet, con atención humana."),
    ("Rampas en todas las oficinas de atención", "Que cada oficina tenga rampa, baño accesible y señalización."),
    ("Formatos en lenguas indígenas", "Traducir los formatos más usados a las diez lenguas con más hablantes."),
    ("Datos abiertos de tiempos de espera", "Publicar cada mes los tiempos de espera por oficina en datos abiertos."),
    ("Huertos escolares", "Un huerto en cada escuela primaria, cuidado por alumnos, docentes y familias."),
    ("Bebederos en parques", "Instalar bebederos de agua potable en los parques con más visitantes."),
)
LABELS = ("Proyecto ejecutivo", "En licitación", "Obra en curso", "Pruebas", "Terminada")
COMMENTS = (
    "Me parece muy buena idea; en mi colonia hace mucha falta.",
    "¿Se podría empezar por las oficinas con más visitantes?",
    "La apoyo. Ojalá informen los avances con fechas.",
)


def load_demo(seed: Any) -> None:
    if not (settings.DEBUG or seed.with_accounts):
        return
    agencies = _agencies()
    if len(agencies) < 2:
        seed.say(_("Propuestas de demostración: faltan las instituciones de demostración."))
        return
    staff = {agency.pk: participation_staff(agency) for agency in agencies}
    if Proposal.objects.filter(author__username__startswith=DEMO_PREFIX).exists():
        seed.say(_("Propuestas de demostración: ya existen."))
        return
    for agency in agencies:
        ProposalSettings.objects.get_or_create(
            agency=agency, defaults={"support_threshold": DEMO_THRESHOLD, "support_days": 90}
        )
    citizens = [
        demo_user(f"{DEMO_PREFIX}{n:02d}", "Persona", f"Proponente {n:02d}") for n in range(1, DEMO_CITIZENS + 1)
    ]
    rng = random.Random(1111)  # noqa: S311 - demo data, not security
    today = business_days.today()
    count = int(getattr(settings, "PARTICIPATION_DEMO_PROPOSALS", DEMO_PROPOSALS))
    for n in seed.progress(_("Propuestas de demostración"))(range(count)):
        agency = agencies[n % len(agencies)]
        _one(n, agency, staff[agency.pk], citizens, rng, today)
    seed.say(
        _("Propuestas de demostración: %(count)s; enlaces de participación: participacion.<siglas>@ventanilla.example")
        % {"count": count}
    )


def _agencies() -> list[Any]:
    found = [queries.find_agency(acronym) for acronym in DEMO_AGENCIES]
    return [agency for agency in found if agency is not None and agency.is_active]


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _one(n: int, agency: Any, staff: Any, citizens: list[Any], rng: random.Random, today: dt.date) -> None:
    """Proposal ``n``; its fate (``n % 10``) decides how far it goes."""
    fate = n % 10
    title, summary = IDEAS[n % len(IDEAS)]
    author = citizens[n % len(citizens)]
    started = today - dt.timedelta(days=130 if fate == 5 else (8 if fate < 3 else 70) + rng.randint(0, 20))
    text = f"{summary}\n\nPropuesta de demostración número {n + 1}."
    proposal = actions.do_submit_proposal(author, agency, title, summary, text, now=_noon(started))
    if fate == 3:
        return  # waiting for the moderators
    if fate == 4:
        actions.do_refuse_proposal(proposal, None, "unclear", now=_noon(started + dt.timedelta(days=1)))
        return
    proposal = actions.do_publish_proposal(proposal, None, now=_noon(started + dt.timedelta(days=1)))
    threshold = proposal.support_threshold or DEMO_THRESHOLD
    wanted = threshold if fate >= 6 else rng.randint(0, threshold - 1)
    supporters = [citizen for citizen in citizens if citizen.pk != author.pk][:wanted]
    day = started + dt.timedelta(days=2)
    for index, supporter in enumerate(supporters):
        when = _noon(min(today, day + dt.timedelta(days=index // 4)))
        proposal = actions._add_support(proposal, supporter, when)
    for index in range(n % 3):
        actions.do_comment_proposal(
            proposal,
            citizens[(n + index + 5) % len(citizens)],
            COMMENTS[(n + index) % len(COMMENTS)],
            now=_noon(min(today, day + dt.timedelta(days=index))),
        )
    if fate < 7 or proposal.threshold_reached_at is None:
        return
    answered = min(today, timezone.localdate(proposal.threshold_reached_at) + dt.timedelta(days=10))
    if fate == 7:
        actions.do_answer_proposal(
            proposal,
            staff,
            accepted=False,
            text=_("No es posible este año: el presupuesto ya está comprometido. La revisaremos el próximo."),
            now=_noon(answered),
        )
        return
    proposal = actions.do_answer_proposal(
        proposal,
        staff,
        accepted=True,
        text=_("La llevaremos a cabo; publicaremos aquí sus avances."),
        now=_noon(answered),
    )
    steps = 5 if fate == 9 else 2 + n % 3
    for step in range(steps):
        day = min(today, answered + dt.timedelta(days=3 * (step + 1)))
        progress = 100 if (fate == 9 and step == steps - 1) else (step + 1) * (80 // steps)
        actions.do_post_progress(
            proposal,
            staff,
            label=LABELS[min(step, len(LABELS) - 1)],
            progress=progress,
            text=_("Avance de demostración: %(label)s.") % {"label": LABELS[min(step, len(LABELS) - 1)]},
            on=day,
            now=_noon(day),
        )
    if fate == 9:
        actions.do_complete_proposal(proposal, staff, now=_noon(min(today, answered + dt.timedelta(days=20))))
