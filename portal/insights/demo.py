"""The insights' part of ``manage.py seed_demo``: three months of synthetic daily visit figures, so every dashboard
has something to show, and a year of synthetic cases of a few services for their KPI pages (docs/insights.md, «Datos
de demostración»).

A demo loader (``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
Deterministic (a fixed random seed, the days counted back from today) and small: the most visited demo services and
their entities' home pages, about 90 × 40 page rows. Idempotent: days that already have figures (real or from an
earlier seed) are left as they are.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.applications.synthetic import do_seed_synthetic_cases
from portal.online_forms.queries import services_with_open_forms
from portal.services.queries import live_services

from . import kpis
from .feedback import case_key
from .models import (
    DailyAudience,
    DailyPageVisits,
    DailySearchDestinations,
    DailySearches,
    Device,
    PageFeedback,
    SatisfactionResponse,
    SurveyMoment,
)
from .recording import local_day
from .screening import screen_personal_data
from .searches import screen

DEMO_AFTER = ("agencies", "services", "online_forms")
#: Services with an online form that get a year of synthetic cases for their KPI pages.
KPI_SERVICES = 4
DAYS = 91
SERVICES = 12
#: The seed's device share: «39 % de las visitas, desde un celular».
SHARES = ((Device.MOBILE, 0.39), (Device.TABLET, 0.06), (Device.DESKTOP, 0.55))
REFERRERS = ("", "", "", "www.google.com", "www.google.com", "www.bing.com", "www.facebook.com", "t.co")
HOST = "127.0.0.1"
#: Page feedback and survey answers for the last FEEDBACK_DAYS days (docs/insights.md, «Comentarios y satisfacción»).
FEEDBACK_DAYS = 30
#: What people write, screened like any comment (the last ones show what the screening removes).
COMMENTS = (
    "No encontré cuánto cuesta el trámite.",
    "Muy clara, gracias.",
    "No dice si puedo hacerlo en línea o tengo que ir a la oficina.",
    "Faltan los horarios de atención de la oficina.",
    "El enlace al formato no abre en mi celular.",
    "No entiendo qué documentos necesito si soy extranjero.",
    "Me urge, llámenme al 55 1234 5678",
    "Mi CURP es GOHG800101MDFRRL09 y no me deja continuar",
)
#: The survey's ratings, most often satisfied: 5, 4, 3, 2, 1 with these weights.
RATING_WEIGHTS = (38, 30, 14, 10, 8)


def _rows_for_day(day: dt.date, services: list[Any], rng: random.Random) -> tuple[list[DailyPageVisits], int]:
    weekday_factor = 0.55 if day.weekday() >= 5 else 1.0
    rows: list[DailyPageVisits] = []
    total = 0
    pages = [
        (f"/tramites/{service.homoclave}/", service.agency_id, service.pk, 400 // (rank + 1))
        for rank, service in enumerate(services)
    ]
    pages += [
        (f"/{slug}/", agency_id, None, 60)
        for slug, agency_id in sorted({(s.agency.slug, s.agency_id) for s in services})
    ]
    pages.append(("/", None, None, 900))
    pages.append(("/tramites/", None, None, 300))
    for path, agency_id, service_id, base in pages:
        for device, share in SHARES:
            visits = int(base * share * weekday_factor * rng.uniform(0.7, 1.3))
            if visits == 0:
                continue
            referrer = rng.choice(REFERRERS)
            rows.append(
                DailyPageVisits(
                    day=day,
                    host=HOST,
                    path=path,
                    device=device,
                    referrer_host=referrer,
                    agency_id=agency_id,
                    service_id=service_id,
                    visits=visits,
                    visitors=max(1, int(visits * 0.8)),
                )
            )
            total += visits
    return rows, total


def _audiences(day: dt.date, rows: list[DailyPageVisits]) -> list[DailyAudience]:
    scopes: dict[int | None, dict[str, int]] = {}
    for row in rows:
        for scope in {None, row.agency_id}:
            figures = scopes.setdefault(scope, {"visits": 0, Device.MOBILE: 0, Device.TABLET: 0, Device.DESKTOP: 0})
            figures["visits"] += row.visits
            # A visitor sees about 1.6 pages a day: the audience is less than the sum of the pages' visitors.
            figures[row.device] += int(row.visitors / 1.6)
    return [
        DailyAudience(
            day=day,
            agency_id=scope,
            visits=figures["visits"],
            visitors=figures[Device.MOBILE] + figures[Device.TABLET] + figures[Device.DESKTOP],
            mobile_visitors=figures[Device.MOBILE],
            tablet_visitors=figures[Device.TABLET],
            desktop_visitors=figures[Device.DESKTOP],
        )
        for scope, figures in scopes.items()
    ]


#: Searches that find nothing in the demo catalogue, or whose results people do not follow: the editors' worklists.
UNANSWERED = ("licencia de conducir", "acta de nacimiento gratis", "credencial para votar", "cartilla militar")
UNFOLLOWED = ("cita", "constancia", "pago en linea")


def _searches_for_day(day: dt.date, services: list[Any], rng: random.Random) -> None:
    """A day of searches: each demo service sought by the first words of its name, most people going on to its
    sheet; a few searches that find nothing or lead nowhere; some withheld as personal data."""
    weekday_factor = 0.55 if day.weekday() >= 5 else 1.0
    rows: list[DailySearches] = []
    destinations: list[DailySearchDestinations] = []
    for rank, service in enumerate(services):
        query, key, _withheld = screen(" ".join(str(service.title).split()[:2]))
        searches = max(1, int(120 / (rank + 1) * weekday_factor * rng.uniform(0.7, 1.3)))
        nowhere = int(searches * rng.uniform(0.05, 0.2))
        if any(row.key == key for row in rows):
            continue
        rows.append(
            DailySearches(
                day=day,
                key=key,
                query=query,
                searches=searches,
                visitors=int(searches * 0.9) or 1,
                no_results=0,
                led_nowhere=nowhere,
            )
        )
        destinations.append(
            DailySearchDestinations(
                day=day,
                key=key,
                query=query,
                host=HOST,
                path=f"/tramites/{service.homoclave}/",
                agency_id=service.agency_id,
                service_id=service.pk,
                searches=searches - nowhere,
            )
        )
    for text in UNANSWERED:
        searches = max(3, int(15 * weekday_factor * rng.uniform(0.6, 1.4)))
        query, key, _withheld = screen(text)
        rows.append(
            DailySearches(
                day=day, key=key, query=query, searches=searches, visitors=searches, no_results=searches, led_nowhere=0
            )
        )
    for text in UNFOLLOWED:
        searches = max(3, int(25 * weekday_factor * rng.uniform(0.6, 1.4)))
        query, key, _withheld = screen(text)
        rows.append(
            DailySearches(
                day=day,
                key=key,
                query=query,
                searches=searches,
                visitors=searches - 1,
                no_results=0,
                led_nowhere=int(searches * 0.6),
            )
        )
    withheld = int(8 * weekday_factor * rng.uniform(0.5, 1.5))
    if withheld:
        rows.append(
            DailySearches(
                day=day, key="", query="", searches=withheld, visitors=withheld, no_results=withheld, led_nowhere=0
            )
        )
    DailySearches.objects.bulk_create(rows, ignore_conflicts=True)
    DailySearchDestinations.objects.bulk_create(destinations, ignore_conflicts=True)


def load_demo(seed: Any) -> None:
    services = list(live_services().select_related("agency").order_by("-annual_volume", "homoclave")[:SERVICES])
    if not services:
        return
    rng = random.Random(15)  # noqa: S311 - synthetic demo figures, not a secret
    today = local_day(timezone.now())
    days = [today - dt.timedelta(days=offset) for offset in range(DAYS, 0, -1)]
    taken = set(DailyAudience.objects.filter(day__in=days, agency__isnull=True).values_list("day", flat=True))
    written = 0
    with transaction.atomic():
        for day in days:
            rows, _total = _rows_for_day(day, services, rng)
            if day in taken:
                continue
            DailyPageVisits.objects.bulk_create(rows, ignore_conflicts=True)
            DailyAudience.objects.bulk_create(_audiences(day, rows))
            _searches_for_day(day, services, rng)
            written += 1
    seed.say(_("Visitas de demostración: %(days)d días de cifras.") % {"days": written})
    _load_feedback(seed, services, today)
    _load_kpis(seed)


def _load_kpis(seed: Any) -> None:
    """A year of synthetic cases for a few services with an online form, and their KPIs computed by the job."""
    services = services_with_open_forms(limit=KPI_SERVICES)
    cases = do_seed_synthetic_cases(services, kpis.WINDOW, timezone.now())
    rows = kpis.do_compute_kpis(months=kpis.WINDOW)
    seed.say(
        _("Indicadores de demostración: %(cases)d solicitudes sintéticas, %(rows)d filas de indicadores.")
        % {"cases": cases, "rows": rows}
    )


def _load_feedback(seed: Any, services: list[Any], today: dt.date) -> None:
    """Answers to «¿Te sirvió esta página?» on the demo services' sheets and survey answers for them, with their own
    fixed random seed (the visit figures stay as they were). Once: a second run finds the demo's rows and stops."""
    if PageFeedback.objects.filter(host=HOST).exists():
        return
    rng = random.Random(1515)  # noqa: S311 - synthetic demo answers, not a secret
    now = timezone.now().replace(second=0, microsecond=0)
    answers: list[PageFeedback] = []
    surveys: list[SatisfactionResponse] = []
    for rank, service in enumerate(services):
        path = f"/tramites/{service.homoclave}/"
        for number in range(max(3, 24 // (rank + 1))):
            useful = rng.random() < 0.7
            comment = rng.choice(COMMENTS) if rng.random() < 0.35 else ""
            screened = screen_personal_data(comment)
            answers.append(
                PageFeedback(
                    at=now - dt.timedelta(days=rng.randrange(FEEDBACK_DAYS), minutes=rng.randrange(600)),
                    host=HOST,
                    path=path,
                    language="es",
                    agency_id=service.agency_id,
                    service_id=service.pk,
                    useful=useful,
                    comment=screened.text,
                    redacted=screened.redacted,
                )
            )
            moment = SurveyMoment.SUBMITTED if number % 3 else SurveyMoment.RESOLVED
            surveys.append(
                SatisfactionResponse(
                    day=today - dt.timedelta(days=rng.randrange(FEEDBACK_DAYS)),
                    moment=moment,
                    rating=rng.choices((5, 4, 3, 2, 1), weights=RATING_WEIGHTS)[0],
                    comment="",
                    language="es",
                    channel=rng.choice(("online", "online", "online", "counter")),
                    agency_id=service.agency_id,
                    service_id=service.pk,
                    # Demo cases that do not exist: negative numbers no real case has.
                    case_key=case_key(-(rank * 1000 + number + 1)),
                )
            )
    with transaction.atomic():
        PageFeedback.objects.bulk_create(answers)
        SatisfactionResponse.objects.bulk_create(surveys, ignore_conflicts=True)
    seed.say(
        _("Opiniones de demostración: %(answers)d respuestas sobre páginas y %(surveys)d de satisfacción.")
        % {"answers": len(answers), "surveys": len(surveys)}
    )
