"""A change of structure in the demo: a fictitious former entity, the «Coordinación Nacional de Apoyos Comunitarios»
(CONAC), absorbed by the Secretaría de Bienestar in 2019, with two news items of 2017 and 2018 that now sit in
BIENESTAR's press room and say «Publicado por Coordinación Nacional de Apoyos Comunitarios (CONAC), hoy Secretaría
de Bienestar»; ``/conac/…`` redirects to them.

Part of the sites' demo loader (``demo.load_demo_catalogue``), after the sites: the merger goes through
``agencies.actions.do_merge_agency`` as an administrator's would. Idempotent: once CONAC is merged, a second run
does nothing. The entity, its news and the dates are invented.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies import actions as agency_actions
from portal.agencies import queries as agency_queries

from .models import AgencyHomePage, NewsIndexPage, NewsKind, NewsPage

RECEIVER = "BIENESTAR"
FORMER = {
    "name": "Coordinación Nacional de Apoyos Comunitarios",
    "short_name": "Apoyos Comunitarios",
    "acronym": "CONAC",
    "slug": "conac",
    "level": "federal",
    "kind": "desconcentrado",
    "description": "Entregaba apoyos a proyectos productivos de comunidades rurales (entidad ficticia de demostración).",
}
EFFECTIVE = dt.date(2019, 3, 1)
NOTE = "Demostración: una entidad ficticia absorbida por la Secretaría de Bienestar."
NEWS: list[dict[str, Any]] = [
    {
        "title": "Apoyos a 1,200 cooperativas de mujeres en zonas rurales",
        "slug": "apoyos-cooperativas-mujeres-2017",
        "kind": NewsKind.PRESS_RELEASE,
        "date": dt.date(2017, 8, 14),
        "summary": "La Coordinación entregó apoyos para equipo y capacitación a cooperativas de 18 estados.",
        "text": "<p>Las cooperativas recibieron apoyos para comprar equipo y para capacitar a sus integrantes.</p>",
    },
    {
        "title": "Abre la convocatoria 2018 de proyectos productivos comunitarios",
        "slug": "convocatoria-proyectos-comunitarios-2018",
        "kind": NewsKind.NOTICE,
        "date": dt.date(2018, 6, 5),
        "summary": "Las comunidades pueden registrar sus proyectos hasta el 31 de julio de 2018.",
        "text": "<p>Los grupos comunitarios registraban sus proyectos en las delegaciones de la Coordinación.</p>",
    },
]


def do_load_history() -> tuple[str, list[int]]:
    """Make CONAC, its old news, and its merger into BIENESTAR; say what was done, with the news' page ids."""
    receiver = agency_queries.agency_by_acronym(RECEIVER)
    if receiver is None:
        return _("Cambio de estructura de demostración omitido: %(acronym)s no está cargada.") % {
            "acronym": RECEIVER
        }, []
    former = agency_queries.find_agency(FORMER["acronym"])
    if former is not None and agency_queries.merged_into(former) is not None:
        ids = list(NewsPage.objects.filter(slug__in=[item["slug"] for item in NEWS]).values_list("pk", flat=True))
        return _("Cambio de estructura de demostración: ya registrado."), ids
    if former is None:
        former = agency_actions.do_create_agency(**FORMER)
    home = AgencyHomePage.objects.get(agency=former)
    press = NewsIndexPage.objects.child_of(home).get()
    ids = []
    for item in NEWS:
        page = NewsPage.objects.child_of(press).filter(slug=item["slug"]).first()
        if page is None:
            page = NewsPage(
                title=item["title"],
                slug=item["slug"],
                kind=item["kind"],
                date=item["date"],
                summary=item["summary"],
                body=json.dumps([{"type": "text", "value": item["text"]}]),
            )
            press.add_child(instance=page)
            page.save_revision().publish()
        # Published then: «Publicado por» is derived from the first publication's date.
        then = timezone.make_aware(dt.datetime.combine(item["date"], dt.time(10, 0)))
        NewsPage.objects.filter(pk=page.pk).update(first_published_at=then, last_published_at=then)
        ids.append(page.pk)
    agency_actions.do_merge_agency(former, receiver, effective=EFFECTIVE, by=None, note=NOTE)
    return _("Cambio de estructura de demostración: %(former)s absorbida por %(receiver)s.") % {
        "former": FORMER["acronym"],
        "receiver": RECEIVER,
    }, ids
