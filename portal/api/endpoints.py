"""The endpoints of /api/v1/. Thin: check the parameters, ask the apps' ``queries`` modules, shape the records.

Lists share one envelope (``total``, ``pagina``, ``por_pagina``, ``paginas``, ``siguiente``, ``anterior``,
``resultados``); every response carries the ``Last-Modified`` of the rows it shows (see ``freshness``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Path, Query, Router

from portal.agencies import queries as agency_queries
from portal.services import queries as service_queries
from portal.services.homoclave import parse_homoclave

from . import freshness, records
from .errors import UNKNOWN_PARAMETER, InvalidParameter, NotFound
from .http import set_last_modified
from .lazy import lazy_text as _
from .schemas import (
    SLUG_PATTERN,
    AgencyParameters,
    Error,
    FichaDeInstitucion,
    FichaDeTramite,
    Indice,
    OfficeParameters,
    PageParameters,
    PaginaDeInstituciones,
    PaginaDeOficinas,
    PaginaDeTemas,
    PaginaDeTramites,
    ServiceParameters,
)

router = Router()

SERVICES = _("Trámites y servicios")
AGENCIES = _("Instituciones y oficinas")
CLASSIFICATION = _("Temas y momentos de vida")
ABOUT = _("Acerca de la API")


def _check_parameters(request: HttpRequest, parameters: type[PageParameters]) -> None:
    """Refuse parameters the endpoint does not know, or given twice: a typo must not silently widen the results."""
    known = parameters.model_fields
    for name in request.GET:
        if name not in known:
            allowed = ", ".join(known)
            message = gettext("Esta dirección no tiene el parámetro «%(name)s». Sus parámetros son: %(allowed)s.")
            raise InvalidParameter(name[:100], message % {"name": name[:100], "allowed": allowed}, UNKNOWN_PARAMETER)
        if len(request.GET.getlist(name)) > 1:
            raise InvalidParameter(name, gettext("Indique este parámetro una sola vez."))


def _paginate(request: HttpRequest, items: QuerySet | Sequence, parameters: PageParameters) -> tuple[dict, list]:
    paginator = Paginator(items, parameters.por_pagina)
    pages = paginator.num_pages if paginator.count else 0
    if parameters.pagina > max(pages, 1):
        message = gettext("La página %(page)s no existe: con estos filtros hay %(pages)s.")
        raise InvalidParameter("pagina", message % {"page": parameters.pagina, "pages": pages})
    page = paginator.page(parameters.pagina)

    def link(number: int) -> str:
        query = request.GET.copy()
        query["pagina"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    envelope = {
        "total": paginator.count,
        "pagina": page.number,
        "por_pagina": parameters.por_pagina,
        "paginas": pages,
        "siguiente": link(page.number + 1) if page.has_next() else None,
        "anterior": link(page.number - 1) if page.has_previous() else None,
    }
    return envelope, list(page.object_list)


def _agency_parameter(name: str, slug: str | None):
    if slug is None:
        return None
    agency = agency_queries.get_agency(slug)
    if agency is None:
        message = gettext(
            "No hay una institución vigente con el identificador «%(slug)s». Consulte /api/v1/instituciones/."
        )
        raise InvalidParameter(name, message % {"slug": slug})
    return agency


@router.get(
    "/",
    response={200: Indice},
    url_name="index",
    summary=_("Índice de la API"),
    description=_("Las colecciones de la API, su documentación y su licencia."),
    tags=[ABOUT],
)
def index(request: HttpRequest, response: HttpResponse):
    addresses = records.Addresses(request)
    set_last_modified(response, freshness.catalogue_changed_at())
    return {
        "nombre": gettext("API de datos abiertos de Ventanilla"),
        "version": "1",
        "licencia": "Libre Uso MX",
        "url_licencia": "https://datos.gob.mx/libreusomx",
        "documentacion": addresses.absolute(reverse("api:openapi-view")),
        "esquema_openapi": addresses.absolute(reverse("api:openapi-json")),
        "datos_abiertos": addresses.data_page(),
        "recursos": {
            "tramites": addresses.api("service_list"),
            "instituciones": addresses.api("agency_list"),
            "oficinas": addresses.api("office_list"),
            "temas": addresses.api("topic_list"),
            "momentos_de_vida": addresses.api("life_event_list"),
        },
    }


@router.get(
    "/tramites/",
    response={200: PaginaDeTramites, 400: Error},
    url_name="service_list",
    summary=_("Lista de trámites y servicios"),
    description=_(
        "Los trámites y servicios vigentes, ordenados por homoclave, con filtros que se combinan entre sí. "
        "Cada elemento es un resumen; la ficha completa está en url_api."
    ),
    tags=[SERVICES],
)
def service_list(request: HttpRequest, response: HttpResponse, filtros: Query[ServiceParameters]):
    _check_parameters(request, ServiceParameters)
    topic = life_event = None
    if filtros.tema is not None:
        topic = service_queries.get_topic(filtros.tema)
        if topic is None:
            message = gettext("No existe el tema «%(slug)s». Consulte /api/v1/temas/.")
            raise InvalidParameter("tema", message % {"slug": filtros.tema})
    if filtros.momento is not None:
        life_event = service_queries.get_life_event(filtros.momento)
        if life_event is None:
            message = gettext("No existe el momento de vida «%(slug)s». Consulte /api/v1/momentos-de-vida/.")
            raise InvalidParameter("momento", message % {"slug": filtros.momento})
    filters = service_queries.CatalogueFilters(
        topic=topic,
        life_event=life_event,
        agency=_agency_parameter("institucion", filtros.institucion),
        level=filtros.orden or "",
        channel=filtros.canal or "",
    )
    services = service_queries.filter_services(service_queries.api_services(), filters)
    if filtros.gratuito is not None:
        services = service_queries.filter_by_cost(services, filtros.gratuito)
    if filtros.updated_since is not None:
        services = service_queries.published_since(services, filtros.updated_since)
    envelope, page = _paginate(request, services, filtros)
    addresses = records.Addresses(request)
    set_last_modified(response, freshness.services_changed_at(services))
    return {**envelope, "resultados": [records.service_summary(service, addresses) for service in page]}


@router.get(
    "/tramites/{homoclave}/",
    response={200: FichaDeTramite, 404: Error},
    url_name="service_detail",
    summary=_("Ficha completa de un trámite"),
    description=_(
        "Todos los campos de la ficha: requisitos, pasos, costos en centavos, fundamento jurídico, formatos, "
        "oficinas con coordenadas, temas, momentos de vida y la institución responsable."
    ),
    tags=[SERVICES],
)
def service_detail(
    request: HttpRequest,
    response: HttpResponse,
    homoclave: str = Path(
        ..., description=_("Homoclave del trámite; se aceptan minúsculas y espacios."), examples=["SRE-02-001"]
    ),
):
    try:
        canonical = str(parse_homoclave(homoclave))
    except ValidationError as error:
        raise NotFound(error.messages[0]) from None
    service = service_queries.api_service_sheets().filter(homoclave=canonical).first()
    if service is None:
        raise NotFound(gettext("No hay un trámite vigente con la homoclave %(homoclave)s.") % {"homoclave": canonical})
    addresses = records.Addresses(request)
    set_last_modified(response, records.latest(service.last_published_at, service.agency.updated_at))
    return records.service_sheet(service, addresses, records.documents_for([service]))


@router.get(
    "/instituciones/",
    response={200: PaginaDeInstituciones, 400: Error},
    url_name="agency_list",
    summary=_("Lista de instituciones"),
    description=_("Dependencias y entidades de los tres órdenes de gobierno, por orden de gobierno y nombre."),
    tags=[AGENCIES],
)
def agency_list(request: HttpRequest, response: HttpResponse, filtros: Query[AgencyParameters]):
    _check_parameters(request, AgencyParameters)
    sector = _agency_parameter("sector", filtros.sector)
    agencies = agency_queries.agency_directory(level=filtros.orden or "", sector=sector)
    envelope, page = _paginate(request, agencies, filtros)
    addresses = records.Addresses(request)
    set_last_modified(response, freshness.agencies_changed_at(agencies))
    results = [records.agency_record(agency, addresses, agency.service_count) for agency in page]
    return {**envelope, "resultados": results}


@router.get(
    "/instituciones/{slug}/",
    response={200: FichaDeInstitucion, 404: Error},
    url_name="agency_detail",
    summary=_("Ficha de una institución"),
    description=_("La institución, sus oficinas de atención y la dirección de sus trámites en la API."),
    tags=[AGENCIES],
)
def agency_detail(
    request: HttpRequest,
    response: HttpResponse,
    slug: str = Path(..., description=_("Identificador de la institución."), examples=["imss"]),
):
    agency = None
    if re.fullmatch(SLUG_PATTERN, slug):
        agency = agency_queries.agency_directory().filter(slug=slug).first()
    if agency is None:
        raise NotFound(
            gettext("No hay una institución vigente con el identificador «%(slug)s».") % {"slug": slug[:100]}
        )
    addresses = records.Addresses(request)
    set_last_modified(response, records.latest(agency.updated_at, freshness.catalogue_changed_at()))
    return {
        **records.agency_record(agency, addresses, agency.service_count),
        "oficinas": [records.office_record(office) for office in agency_queries.agency_offices(agency)],
        "url_api_tramites": addresses.api("service_list", f"institucion={agency.slug}"),
    }


@router.get(
    "/oficinas/",
    response={200: PaginaDeOficinas, 400: Error},
    url_name="office_list",
    summary=_("Lista de oficinas de atención"),
    description=_("Oficinas abiertas de las instituciones vigentes, con dirección, horario y coordenadas."),
    tags=[AGENCIES],
)
def office_list(request: HttpRequest, response: HttpResponse, filtros: Query[OfficeParameters]):
    _check_parameters(request, OfficeParameters)
    municipality = None
    if filtros.municipio is not None:
        municipality = agency_queries.get_municipality(filtros.municipio)
        if municipality is None:
            message = gettext("No existe un municipio con la clave INEGI %(code)s.")
            raise InvalidParameter("municipio", message % {"code": filtros.municipio})
    agency = _agency_parameter("institucion", filtros.institucion)
    offices = agency_queries.office_directory(agency=agency, municipality=municipality)
    envelope, page = _paginate(request, offices, filtros)
    set_last_modified(response, freshness.offices_changed_at(offices))
    return {**envelope, "resultados": [records.office_record(office) for office in page]}


@router.get(
    "/temas/",
    response={200: PaginaDeTemas, 400: Error},
    url_name="topic_list",
    summary=_("Temas"),
    description=_("Los temas del catálogo, con el número de trámites vigentes de cada uno."),
    tags=[CLASSIFICATION],
)
def topic_list(request: HttpRequest, response: HttpResponse, filtros: Query[PageParameters]):
    _check_parameters(request, PageParameters)
    envelope, page = _paginate(request, service_queries.topics_with_counts(), filtros)
    addresses = records.Addresses(request)
    set_last_modified(response, freshness.catalogue_changed_at())
    return {**envelope, "resultados": [records.topic_item(topic, addresses, "tema") for topic in page]}


@router.get(
    "/momentos-de-vida/",
    response={200: PaginaDeTemas, 400: Error},
    url_name="life_event_list",
    summary=_("Momentos de vida"),
    description=_("Momentos de la vida que piden varios trámites a la vez, con el número de trámites de cada uno."),
    tags=[CLASSIFICATION],
)
def life_event_list(request: HttpRequest, response: HttpResponse, filtros: Query[PageParameters]):
    _check_parameters(request, PageParameters)
    envelope, page = _paginate(request, service_queries.life_events_with_counts(), filtros)
    addresses = records.Addresses(request)
    set_last_modified(response, freshness.catalogue_changed_at())
    return {**envelope, "resultados": [records.topic_item(event, addresses, "momento") for event in page]}
