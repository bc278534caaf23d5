"""Builders for service sheets in tests and demo data."""

from __future__ import annotations

import itertools

from portal.agencies.models import Agency
from portal.services.models import AgencyCataloguePage, LifeEvent, ServicePage, Topic

_sequence = itertools.count(1)


def make_topic(name: str = "Salud", slug: str | None = None) -> Topic:
    topic, _created = Topic.objects.get_or_create(slug=slug or name.lower(), defaults={"name": name})
    return topic


def make_life_event(name: str = "Tener un bebé", slug: str = "tener-un-bebe") -> LifeEvent:
    event, _created = LifeEvent.objects.get_or_create(slug=slug, defaults={"name": name})
    return event


def make_service(
    agency: Agency, *, publish: bool = True, topics=(), life_events=(), offices=(), **fields
) -> ServicePage:
    """A complete, valid sheet under the agency's catalogue; published unless ``publish=False``."""
    n = next(_sequence)
    parent = AgencyCataloguePage.objects.get(agency=agency)
    homoclave = fields.pop("homoclave", f"{agency.acronym}-01-{n:03d}")
    values = {
        "title": f"Trámite de prueba {n}",
        "description": "Permite obtener un documento de prueba.",
        "resolution_days": 10,
        "silence_rule": "negativa",
        "requirements": [
            {"type": "requirement", "value": {"document": "Identificación oficial", "presentation": "original"}}
        ],
        "fees": [],
        "legal_basis": [{"type": "legal_basis", "value": {"law": "Ley Federal de Procedimiento Administrativo"}}],
    }
    values.update(fields)
    values.setdefault("slug", homoclave.lower())
    page = ServicePage(homoclave=homoclave, agency=agency, **values)
    parent.add_child(instance=page)
    if topics:
        page.topics.set(topics)
    if life_events:
        page.life_events.set(life_events)
    if offices:
        page.offices.set(offices)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.live = False
        page.save(update_fields=["live"])
    page.refresh_from_db()
    return page
