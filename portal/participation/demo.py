"""The petitions' part of ``manage.py seed_demo``: about a hundred petitions to the demo entities in every state, and
one member of petition staff per demo entity, so that ``make run`` shows the queue, the clock and the figures.

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it. Like
the demo accounts, it runs only in development (``DEBUG``) or with ``--with-accounts``. It is idempotent: once the
demo petitions exist it does nothing. Petitions go through the same actions as the pages (``do_submit_petition``,
``do_answer_petition``, ``do_forward_petition``) with past dates, so every event, due date and answer's PDF is what
the portal would have produced. The authors it makes have no verified contact, so no notice is queued for them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.actions import do_add_verified_email
from portal.accounts.demo import DEMO_PASSWORD, demo_verified_account
from portal.agencies.actions import do_grant_portal_admin, do_grant_role

# Exception to "other apps reach a domain through its actions and queries" (listed in pyproject.toml): the demo
# petitions need the demo entities by acronym and the role to grant.
from portal.agencies.models import Agency, Role
from portal.core import business_days

from . import actions
from .models import Petition, RejectionReason

DEMO_AFTER = ("agencies", "accounts")
# ``PARTICIPATION_DEMO_PETITIONS`` in the settings changes it (the test settings make fewer: each answer is a PDF).
DEMO_PETITIONS = 300
DEMO_AGENCIES = ("IMSS", "SAT", "SRE", "BIENESTAR", "SEP", "ISSSTE", "CFE", "PROFECO", "GOBCOL", "SSA")
DEMO_AUTHORS = 12
# Verified demo accounts that support the public petitions.
DEMO_SUPPORTERS = 60
SUBJECTS = (
    ("Medicamentos sin surtir en mi clínica", "Desde hace tres semanas la farmacia de mi clínica no surte mi receta."),
    ("Horario de atención", "Pido que amplíen el horario de atención por la tarde para quienes trabajamos."),
    ("Alumbrado público", "Las luminarias de mi calle llevan dos meses apagadas; pido que las reparen."),
    ("Cita para pasaporte", "No encuentro citas disponibles en Colima en los próximos tres meses."),
    ("Devolución de impuestos", "Solicité mi devolución hace 60 días y no he recibido respuesta."),
    ("Beca para mi hija", "Pido información sobre por qué se suspendió la beca de mi hija."),
    ("Cobro excesivo de luz", "Mi recibo de luz subió al triple sin cambio en mi consumo; pido una revisión."),
    ("Queja por un comercio", "Un comercio no respetó el precio anunciado; pido que se investigue."),
    (
        "Accesibilidad en oficinas",
        "La oficina no tiene rampa; pido que sea accesible para personas en silla de ruedas.",
    ),
    ("Información sobre un programa", "Pido que me informen los requisitos del programa y las fechas de registro."),
)
ANSWERS = (
    "Gracias por su petición. Revisamos su caso y le informamos que ya se tomaron las medidas necesarias.",
    "En atención a su petición, le informamos que el trámite que solicita puede realizarse en la oficina más cercana.",
    "Su petición fue analizada; la información que solicita se encuentra publicada en nuestro sitio.",
)


def load_demo(seed: Any) -> None:
    """Petitions, then each part of Participa loads its own (each is idempotent)."""
    if not (settings.DEBUG or seed.with_accounts):
        return
    # Not at the top: the parts' loaders import this module (participation_staff, demo_user).
    from portal.participation.bodies import demo as bodies_demo
    from portal.participation.consultations import demo as consultations_demo
    from portal.participation.proposals import demo as proposals_demo

    _load_petitions(seed)
    for part in (consultations_demo, proposals_demo, bodies_demo):
        part.load_demo(seed)


def _load_petitions(seed: Any) -> None:
    agencies = list(Agency.objects.filter(acronym__in=DEMO_AGENCIES, is_active=True).order_by("acronym"))
    if len(agencies) < 2:
        seed.say(_("Peticiones de demostración: faltan las instituciones de demostración."))
        return
    staff = {agency.pk: _staff(agency) for agency in agencies}
    if Petition.objects.filter(author__username__startswith="peticionaria.").exists():
        seed.say(_("Peticiones de demostración: ya existen."))
        return
    authors = [_author(n) for n in range(1, DEMO_AUTHORS + 1)]
    public: list[Petition] = []
    rng = random.Random(11)  # noqa: S311 - demo data, not security
    today = business_days.today()
    count = int(getattr(settings, "PARTICIPATION_DEMO_PETITIONS", DEMO_PETITIONS))
    for n in seed.progress(_("Peticiones de demostración"))(range(count)):
        agency = agencies[n % len(agencies)]
        subject, text = SUBJECTS[n % len(SUBJECTS)]
        submitted = _noon(today - dt.timedelta(days=rng.randint(1, 110)))
        petition = actions.do_submit_petition(
            authors[n % len(authors)], agency, subject, text, is_public=n % 4 == 0, now=submitted
        )
        if petition.is_public:
            public.append(petition)
        fate = n % 10
        if fate < 4:  # answered: on time, or late for one in four
            days = (petition.term_days // 2) if fate else petition.term_days + 5
            when = _noon(business_days.add_business_days(petition.received_on, days))
            if when.date() <= today:
                actions.do_answer_petition(petition, staff[agency.pk], ANSWERS[n % len(ANSWERS)], now=when)
        elif fate == 4:  # forwarded to the competent entity a few days later
            target = agencies[(n + 1) % len(agencies)]
            when = _noon(min(today, petition.received_on + dt.timedelta(days=3)))
            actions.do_forward_petition(
                petition, staff[agency.pk], target, _("El asunto es competencia de otra institución."), now=when
            )
    published = _moderate_and_support(public, today, rng)
    seed.say(
        _("Peticiones de demostración: %(count)s; personal de peticiones: peticiones.<siglas>@ventanilla.example")
        % {"count": count}
    )
    seed.say(_("Peticiones públicas de demostración: %(count)s publicadas, con apoyos") % {"count": published})


def _moderate_and_support(public: list[Petition], today: dt.date, rng: random.Random) -> int:
    """The public petitions through the moderators (most published; one refused for a rule, one a duplicate, the
    newest still waiting) and supported by demo verified accounts on days after publication. Colima's thresholds
    are set low so that its most supported petition shows a threshold reached and the next one."""
    if not public:
        return 0
    moderator = _user("moderacion.participa", "Marta", "Moderadora Ruiz")
    do_grant_portal_admin(moderator)
    colima = next((p.agency for p in public if p.agency.acronym == "GOBCOL"), None)
    if colima is not None:
        actions.do_set_public_settings(colima, support_months=6, answer_threshold=20, hearing_threshold=50)
    supporters = [
        demo_verified_account(f"apoyo.{n:02d}", "Persona", f"Apoyo {n:02d}", 900 + n)
        for n in range(1, DEMO_SUPPORTERS + 1)
    ]
    public.sort(key=lambda p: p.submitted_at)
    published: list[Petition] = []
    for n, petition in enumerate(public[:-1]):  # the newest waits for the moderators
        when = min(_noon(petition.submitted_at.date() + dt.timedelta(days=2)), timezone.now())
        if n == 3:
            actions.do_reject_petition(petition, moderator, RejectionReason.values[0], now=when)
        elif n == 5 and published:
            actions.do_mark_duplicate(petition, moderator, published[0], now=when)
        else:
            published.append(actions.do_publish_petition(petition, moderator, now=when))
    for n, petition in enumerate(published):
        crowd = len(supporters) if n == 0 else rng.randint(0, len(supporters) // 2)
        first = petition.published_at or timezone.now()
        span = max((timezone.localdate() - timezone.localdate(first)).days, 1)
        for k, supporter in enumerate(rng.sample(supporters, crowd)):
            when = min(first + dt.timedelta(hours=1 + k * 24 * span // max(crowd, 1)), timezone.now())
            actions.do_support_petition(petition, supporter, now=when)
    return len(published)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _user(username: str, first_name: str, last_name: str) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@ventanilla.example",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
    return user


def _staff(agency: Agency) -> Any:
    user = _user(f"peticiones.{agency.acronym.lower()}", "Irene", "Salgado Ruiz")
    do_add_verified_email(user, user.email)
    do_grant_role(user, agency, Role.PETITIONS)
    return user


def participation_staff(agency: Agency) -> Any:
    """The entity's demo «Enlace de participación ciudadana» (``participacion.<siglas>``): it runs the entity's
    consultations, answers its proposals and keeps its bodies; each part's loader calls this (idempotent)."""
    user = _user(f"participacion.{agency.acronym.lower()}", "Tomás", "Villalobos Cruz")
    do_add_verified_email(user, user.email)
    do_grant_role(user, agency, Role.PARTICIPATION)
    return user


def demo_user(username: str, first_name: str, last_name: str) -> Any:
    """A demo account (password ``DEMO_PASSWORD``), created once: the parts' loaders make their citizens with it."""
    return _user(username, first_name, last_name)


def _author(n: int) -> Any:
    return _user(f"peticionaria.{n:02d}", "Persona", f"Peticionaria {n:02d}")
