"""Plain records of services, entities and offices, with the API's Spanish keys.

One builder per kind of thing, used by the API endpoints and by the downloads alike, so a service reads the same
everywhere. Builders take rows that ``portal.services.queries`` / ``portal.agencies.queries`` already loaded with
what they need (``select_related``/``prefetch_related``): they never query the database themselves, except
``documents_for``, which fetches the format files of a whole batch of sheets in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model

from portal.agencies.models import Agency, Office
from portal.services.models import ServicePage

_KEY = "__clave__"


class Addresses:
    """Absolute addresses for one request. Public pages are always given in the default language: they are data."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._templates: dict[str, str] = {}

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def _for(self, route: str, argument: str, value: str) -> str:
        # Reversing once per route and filling in the key keeps a 100,000-row download from reversing 300,000 times.
        template = self._templates.get(route)
        if template is None:
            with translation.override(settings.LANGUAGE_CODE):
                template = self.absolute(reverse(route, kwargs={argument: _KEY}))
            self._templates[route] = template
        return template.replace(_KEY, value)

    def service_page(self, homoclave: str) -> str:
        return self._for("services:detail", "homoclave", homoclave)

    def service_api(self, homoclave: str) -> str:
        return self._for("api:service_detail", "homoclave", homoclave)

    def agency_page(self, slug: str) -> str:
        return self._for("agencies:detail", "slug", slug)

    def agency_api(self, slug: str) -> str:
        return self._for("api:agency_detail", "slug", slug)

    def data_page(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.absolute(reverse("data:index"))

    def api(self, route: str, query: str = "") -> str:
        url = self.absolute(reverse(f"api:{route}"))
        return f"{url}?{query}" if query else url


def _place(code: str, name: str) -> dict:
    return {"clave_inegi": code, "nombre": name}


def agency_reference(agency: Agency) -> dict:
    return {"slug": agency.slug, "siglas": agency.acronym, "nombre": agency.name}


def agency_summary(agency: Agency, addresses: Addresses) -> dict:
    return {
        **agency_reference(agency),
        "orden": agency.level,
        "url": addresses.agency_page(agency.slug),
        "url_api": addresses.agency_api(agency.slug),
    }


def agency_record(agency: Agency, addresses: Addresses, service_count: int) -> dict:
    """An entity; needs ``sector``, ``state`` and ``municipality`` loaded."""
    return {
        **agency_reference(agency),
        "nombre_corto": agency.short_name,
        "orden": agency.level,
        "naturaleza": agency.kind,
        "sector": agency_reference(agency.sector) if agency.sector is not None else None,
        "estado": _place(agency.state.code, agency.state.name) if agency.state is not None else None,
        "municipio": (
            _place(agency.municipality.inegi_code, agency.municipality.name)
            if agency.municipality is not None
            else None
        ),
        "descripcion": agency.description,
        "sitio_web": agency.website,
        "telefono": agency.phone,
        "correo": agency.email,
        "numero_de_tramites": service_count,
        "url": addresses.agency_page(agency.slug),
        "url_api": addresses.agency_api(agency.slug),
        "actualizado": agency.updated_at,
    }


def office_record(office: Office) -> dict:
    """An office; needs ``agency`` and ``municipality__state`` loaded."""
    municipality = office.municipality
    return {
        "id": office.pk,
        "institucion": agency_reference(office.agency),
        "nombre": office.name,
        "calle": office.street,
        "colonia": office.settlement,
        "codigo_postal": office.postal_code,
        "municipio": _place(municipality.inegi_code, municipality.name),
        "estado": _place(municipality.state.code, municipality.state.name),
        "horario": office.opening_hours,
        "telefono": office.phone,
        "correo": office.email,
        "latitud": float(office.latitude),
        "longitud": float(office.longitude),
        "accesibilidad": office.accessibility,
        "zona_horaria": municipality.state.timezone,
    }


def _channels(service: ServicePage) -> list[str]:
    flags = (("en-linea", service.channel_online), ("presencial", service.channel_in_person))
    return [name for name, on in (*flags, ("telefono", service.channel_phone)) if on]


def _classification(items: Iterable) -> list[dict]:
    return [{"slug": item.slug, "nombre": item.name} for item in items]


def service_summary(service: ServicePage, addresses: Addresses) -> dict:
    """A list item; needs ``agency`` loaded and ``topics``/``life_events`` prefetched."""
    return {
        "homoclave": service.homoclave,
        "nombre": service.title,
        "descripcion": service.description,
        "institucion": agency_summary(service.agency, addresses),
        "canales": _channels(service),
        "gratuito": service.is_free,
        "costo_minimo_centavos": service.lowest_fee_centavos,
        "plazo_resolucion_dias_habiles": service.resolution_days,
        "nivel_digitalizacion": service.digitization,
        "temas": _classification(service.topics.all()),
        "momentos_de_vida": _classification(service.life_events.all()),
        "url": addresses.service_page(service.homoclave),
        "url_api": addresses.service_api(service.homoclave),
        "ultima_publicacion": service.last_published_at,
    }


def documents_for(services: Iterable[ServicePage]) -> dict[int, object]:
    """The format files of a batch of sheets, by id, in one query."""
    ids = {
        block["value"].get("document")
        for service in services
        for block in service.formats.raw_data
        if block.get("type") == "document" and isinstance(block.get("value"), dict)
    }
    ids.discard(None)
    return get_document_model().objects.in_bulk(ids) if ids else {}


def _formats(service: ServicePage, documents: dict, addresses: Addresses) -> list[dict]:
    # Read from the raw stream so that a batch of sheets resolves its files with one query (``documents_for``)
    # instead of one per sheet.
    formats = []
    for block in service.formats.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "document":
            document = documents.get(value.get("document"))
            if document is not None:
                url = addresses.absolute(document.url)
                formats.append({"nombre": value.get("title") or document.title, "tipo": "documento", "url": url})
        elif block.get("type") == "link" and value.get("url"):
            formats.append({"nombre": value.get("title") or "", "tipo": "enlace", "url": value["url"]})
    return formats


def service_sheet(service: ServicePage, addresses: Addresses, documents: dict) -> dict:
    """The whole sheet; needs what ``portal.services.queries.api_service_sheets`` loads."""
    requirements = [block.value for block in service.requirements]
    return {
        **service_summary(service, addresses),
        "resultado": service.result,
        "dirigido_a": service.audience,
        "casos": [str(block.value) for block in service.cases],
        "requisitos": [
            {
                "documento": value.get("document") or "",
                "presentacion": value.get("presentation") or "",
                "copias": value.get("copies"),
                "condiciones": value.get("conditions") or "",
            }
            for value in requirements
        ],
        "pasos": [str(block.value) for block in service.steps],
        "formatos": _formats(service, documents, addresses),
        "fundamento_juridico": [
            {
                "ordenamiento": block.value.get("law") or "",
                "articulos": block.value.get("articles") or "",
                "url": block.value.get("url") or "",
            }
            for block in service.legal_basis
        ],
        "url_en_linea": service.online_url,
        "presencial": service.in_person,
        "telefono": service.phone_channel,
        "costos": [{"concepto": fee["concept"], "monto_centavos": fee["amount_centavos"]} for fee in service.fee_list],
        "informacion_de_pago": service.payment_info,
        "silencio_administrativo": service.silence_rule,
        "vigencia": service.validity,
        "oficinas": [office_record(office) for office in service.offices.all()],
        "contacto": service.contact,
        "quejas": service.complaints,
        "volumen_anual": service.annual_volume,
        "minutos_promedio_persona": service.citizen_minutes,
        "palabras_clave": service.keywords,
    }


def topic_item(topic, addresses: Addresses, parameter: str) -> dict:
    """A topic or a life event with the number of live services it groups (``service_count`` annotation)."""
    return {
        "slug": topic.slug,
        "nombre": topic.name,
        "descripcion": topic.description,
        "numero_de_tramites": topic.service_count,
        "url_api_tramites": addresses.api("service_list", f"{parameter}={topic.slug}"),
    }


def latest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None
