"""The endpoints of Participa in /api/v1/: published petitions, their supports and thresholds, every entity's
figures of the right of petition, public consultations with their comments, and the registry of participation
bodies. The same queries serve the pages (``portal.participation.queries``); nothing
here shows what the pages do not: no author, no supporter, no private petition.

Supports change by the second and withdrawals leave no date behind, so these responses are stamped with the moment
they were made (``Last-Modified``) and revalidate by their ``ETag`` (``http.open_data_view``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from pydantic.json_schema import SkipJsonSchema

from portal.core import business_days
from portal.participation import queries as participation_queries
from portal.participation.bodies import queries as body_queries
from portal.participation.consultations import queries as consultation_queries

from . import records
from .endpoints import _agency_parameter, _check_parameters, _paginate
from .errors import NotFound
from .http import set_last_modified
from .lazy import lazy_text as _
from .schemas import SLUG_PATTERN, Error, InstitucionReferencia, PageParameters, Pagina, _filter, _no_default

router = Router()

PETITIONS = _("Participación ciudadana")
FOLIO_PATTERN = r"^[0-9A-Za-z-]{1,32}$"


class PetitionParameters(PageParameters):
    institucion: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución a la que se dirige (ver /api/v1/instituciones/)."), "imss", SLUG_PATTERN
    )
    orden: participation_queries.PublicOrder | SkipJsonSchema[None] = _filter(
        _("apoyos: las más apoyadas primero (predeterminado); recientes: las publicadas más recientemente."), "apoyos"
    )


class SiguienteUmbral(Schema):
    apoyos: int = Field(description=_("Apoyos con los que se alcanza."))
    obligacion: str = Field(description=_("Lo que obliga a la institución: respuesta pública o audiencia pública."))
    faltan: int = Field(description=_("Apoyos que faltan para alcanzarlo."))


class PeticionResumen(Schema):
    folio: str
    asunto: str
    institucion: InstitucionReferencia
    estado: str = Field(description=_("en_espera, turnada o respondida."))
    publicada: datetime
    apoyos: int = Field(description=_("Apoyos contados de cuentas verificadas."))
    recibe_apoyos_hasta: date = Field(description=_("Último día en que recibe apoyos (hora del centro de México)."))
    url: str = Field(description=_("Página pública de la petición."))
    url_api: str = Field(description=_("Ficha de la petición en esta API."))


class FichaDePeticion(PeticionResumen):
    texto: str
    recibe_apoyos: bool = Field(description=_("Si hoy recibe apoyos."))
    siguiente_umbral: SiguienteUmbral | None = Field(description=_("null cuando alcanzó todos los umbrales."))


class PaginaDePeticiones(Pagina):
    resultados: list[PeticionResumen]


class Cifras(Schema):
    recibidas: int = Field(
        description=_("Peticiones que la institución tiene o respondió (las turnadas a ella también).")
    )
    respondidas_a_tiempo: int
    respondidas_tarde: int
    vencidas: int = Field(description=_("Sin respuesta y con el plazo vencido hoy."))
    en_plazo: int = Field(description=_("Sin respuesta y dentro del plazo."))
    turnadas: int = Field(description=_("Peticiones que la institución turnó a la competente."))


class CifrasDeInstitucion(Schema):
    institucion: InstitucionReferencia
    cifras: Cifras


class CifrasDePeticiones(Schema):
    fecha: date = Field(description=_("Día de las cifras (hora del centro de México)."))
    nacional: Cifras
    instituciones: list[CifrasDeInstitucion]


_STATUS = {"received": "en_espera", "forwarded": "turnada", "answered": "respondida"}


def _addresses(request: HttpRequest, folio: str) -> tuple[str, str]:
    with translation.override("es"):
        page = reverse("participation:public_detail", args=[folio])
    return request.build_absolute_uri(page), request.build_absolute_uri(reverse("api:petition_detail", args=[folio]))


def _summary(request: HttpRequest, petition: Any) -> dict:
    page, api = _addresses(request, petition.folio)
    return {
        "folio": petition.folio,
        "asunto": petition.subject,
        "institucion": records.agency_reference(petition.agency),
        "estado": _STATUS.get(petition.status, petition.status),
        "publicada": petition.published_at,
        "apoyos": petition.supports_count,
        "recibe_apoyos_hasta": petition.supports_close_on,
        "url": page,
        "url_api": api,
    }


def _figures(figures: participation_queries.Figures) -> dict:
    return {
        "recibidas": figures.received,
        "respondidas_a_tiempo": figures.answered_on_time,
        "respondidas_tarde": figures.answered_late,
        "vencidas": figures.overdue,
        "en_plazo": figures.open_in_term,
        "turnadas": figures.forwarded,
    }


@router.get(
    "/peticiones/",
    response={200: PaginaDePeticiones, 400: Error},
    url_name="petition_list",
    summary=_("Peticiones públicas"),
    description=_(
        "Las peticiones publicadas para recibir apoyos: asunto, institución, estado y apoyos. Nunca los datos de "
        "quien la escribió ni de quienes la apoyan."
    ),
    tags=[PETITIONS],
)
def petition_list(request: HttpRequest, response: HttpResponse, filtros: Query[PetitionParameters]):
    _check_parameters(request, PetitionParameters)
    agency = _agency_parameter("institucion", filtros.institucion)
    petitions = participation_queries.published_petitions(filtros.orden or "apoyos", agency)
    envelope, page = _paginate(request, petitions, filtros)
    set_last_modified(response, timezone.now())
    return {**envelope, "resultados": [_summary(request, petition) for petition in page]}


@router.get(
    "/peticiones/cifras/",
    response={200: CifrasDePeticiones},
    url_name="petition_figures",
    summary=_("Cifras del derecho de petición"),
    description=_(
        "Por institución y en todo el país: peticiones recibidas, respondidas a tiempo y tarde, vencidas, en plazo "
        "y turnadas. Cuentan las privadas y las públicas."
    ),
    tags=[PETITIONS],
)
def petition_figures(request: HttpRequest, response: HttpResponse):
    today = business_days.today()
    set_last_modified(response, timezone.now())
    return {
        "fecha": today,
        "nacional": _figures(participation_queries.national_figures(today)),
        "instituciones": [
            {"institucion": records.agency_reference(agency), "cifras": _figures(figures)}
            for agency, figures in participation_queries.figures_by_agency(today)
        ],
    }


@router.get(
    "/peticiones/{folio}/",
    response={200: FichaDePeticion, 404: Error},
    url_name="petition_detail",
    summary=_("Ficha de una petición pública"),
    description=_("La petición publicada, sus apoyos, hasta cuándo los recibe y el siguiente umbral."),
    tags=[PETITIONS],
)
def petition_detail(
    request: HttpRequest,
    response: HttpResponse,
    folio: str = Path(..., description=_("Folio de la petición."), examples=["2026-7K3M-9QXD-9"]),
):
    petition = participation_queries.find_public_petition(folio)
    if petition is None:
        raise NotFound(gettext("No hay una petición publicada con el folio «%(folio)s».") % {"folio": folio[:40]})
    threshold = participation_queries.next_threshold(petition)
    set_last_modified(response, timezone.now())
    return {
        **_summary(request, petition),
        "texto": petition.text,
        "recibe_apoyos": participation_queries.supports_open(petition),
        "siguiente_umbral": (
            {"apoyos": threshold.supports, "obligacion": threshold.duty, "faltan": threshold.missing}
            if threshold is not None
            else None
        ),
    }


# --- Participation bodies -------------------------------------------------------------------------------------------


class BodyParameters(PageParameters):
    institucion: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución (ver /api/v1/instituciones/)."), "semarnat", SLUG_PATTERN
    )


class MecanismoResumen(Schema):
    slug: str = Field(description=_("Identificador del mecanismo en las direcciones."))
    institucion: str
    siglas: str
    nombre: str
    tipo: str
    ambito: str
    fundamento_juridico: str
    en_funciones: bool
    integrantes_en_funciones: int
    sesiones_celebradas: int
    ultima_sesion: str | None = Field(description=_("Fecha de la última sesión celebrada (AAAA-MM-DD)."))
    acuerdos_pendientes: int
    acuerdos_cumplidos: int
    url: str = Field(description=_("Página pública del mecanismo."))
    url_api: str = Field(description=_("Ficha del mecanismo en esta API."))


class Integrante(Schema):
    nombre: str
    cargo: str
    sector: str
    inicio: date
    fin: date | None


class Sesion(Schema):
    numero: int
    tipo: str
    fecha: date
    lugar: str
    estado: str


class Acuerdo(Schema):
    clave: str
    sesion: int
    acuerdo: str
    responsable: str
    estado: str
    fecha_compromiso: date | None
    ultimo_seguimiento: date | None
    nota_ultimo_seguimiento: str | None


class FichaDeMecanismo(MecanismoResumen):
    objeto: str
    como_participar: str
    integrantes: list[Integrante] = Field(description=_("Quienes están en funciones hoy."))
    sesiones: list[Sesion] = Field(description=_("La más reciente primero."))
    acuerdos: list[Acuerdo]


class PaginaDeMecanismos(Pagina):
    resultados: list[MecanismoResumen]


def _body_summary(request: HttpRequest, body: Any, today: date) -> dict:
    return {
        **body_queries.body_record(body, today),
        "slug": body.slug,
        "url_api": request.build_absolute_uri(reverse("api:body_detail", args=[body.slug])),
    }


@router.get(
    "/mecanismos/",
    response={200: PaginaDeMecanismos, 400: Error},
    url_name="body_list",
    summary=_("Mecanismos de participación"),
    description=_(
        "El registro de consejos consultivos, grupos de trabajo, observatorios y demás mecanismos de participación "
        "de las instituciones, con sus cifras de integrantes, sesiones y acuerdos."
    ),
    tags=[PETITIONS],
)
def body_list(request: HttpRequest, response: HttpResponse, filtros: Query[BodyParameters]):
    _check_parameters(request, BodyParameters)
    agency = _agency_parameter("institucion", filtros.institucion)
    today = business_days.today()
    bodies = body_queries.bodies_with_figures(today)
    if agency is not None:
        bodies = bodies.filter(agency=agency)
    envelope, page = _paginate(request, bodies, filtros)
    set_last_modified(response, timezone.now())
    return {**envelope, "resultados": [_body_summary(request, body, today) for body in page]}


@router.get(
    "/mecanismos/{slug}/",
    response={200: FichaDeMecanismo, 404: Error},
    url_name="body_detail",
    summary=_("Ficha de un mecanismo de participación"),
    description=_("El mecanismo, quienes lo integran hoy, sus sesiones y sus acuerdos con su último seguimiento."),
    tags=[PETITIONS],
)
def body_detail(
    request: HttpRequest,
    response: HttpResponse,
    slug: str = Path(..., description=_("Identificador del mecanismo."), examples=["consejo-consultivo-de-salud"]),
):
    today = business_days.today()
    body = body_queries.bodies_with_figures(today).filter(slug=slug[:80]).first()
    if body is None:
        raise NotFound(
            gettext("No hay un mecanismo de participación con el identificador «%(slug)s».") % {"slug": slug[:80]}
        )
    set_last_modified(response, timezone.now())
    with translation.override("es"):
        members = [
            {
                "nombre": member.name,
                "cargo": str(member.get_role_display()),
                "sector": str(member.get_sector_display()),
                "inicio": member.term_start,
                "fin": member.term_end,
            }
            for member in body_queries.members_in_office(body, today)
        ]
        sessions = [
            {
                "numero": session.number,
                "tipo": str(session.get_kind_display()),
                "fecha": session.date,
                "lugar": session.place,
                "estado": str(session.get_status_display()),
            }
            for session in body_queries.sessions(body)
        ]
        agreements = []
        for agreement in body_queries.body_agreements(body):
            last = getattr(agreement, "last_update", None)
            agreements.append(
                {
                    "clave": agreement.code,
                    "sesion": agreement.session.number,
                    "acuerdo": agreement.text,
                    "responsable": agreement.responsible,
                    "estado": str(agreement.get_status_display()),
                    "fecha_compromiso": agreement.due_date,
                    "ultimo_seguimiento": last.date if last else None,
                    "nota_ultimo_seguimiento": last.note if last else None,
                }
            )
    return {
        **_body_summary(request, body, today),
        "objeto": body.purpose,
        "como_participar": body.how_to_take_part,
        "integrantes": members,
        "sesiones": sessions,
        "acuerdos": agreements,
    }


# --- Public consultations -----------------------------------------------------------------------------------------


class ConsultationParameters(PageParameters):
    institucion: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución que consulta (ver /api/v1/instituciones/)."), "semarnat", SLUG_PATTERN
    )


class ConsultaResumen(Schema):
    slug: str = Field(description=_("Identificador de la consulta en las direcciones."))
    titulo: str
    institucion: InstitucionReferencia
    tipo: str = Field(description=_("regulation, policy, programme_rules u other."))
    abre: date
    cierra: date
    estado: str = Field(description=_("scheduled (por abrir), open, closed o answered (con respuesta)."))
    comentarios: int = Field(description=_("Comentarios publicados."))
    url: str = Field(description=_("Página pública de la consulta."))
    url_api: str = Field(description=_("Ficha de la consulta en esta API."))


class Seccion(Schema):
    numero: int
    encabezado: str
    texto: str = Field(description=_("El texto del proyecto sometido a consulta."))
    texto_final: str | SkipJsonSchema[None] = Field(
        None,
        description=_("El texto final, una vez publicada la respuesta."),
        json_schema_extra=_no_default,
    )


class Pregunta(Schema):
    numero: int
    pregunta: str


class FichaDeConsulta(ConsultaResumen):
    resumen: str
    secciones: list[Seccion]
    preguntas: list[Pregunta]
    respuesta: str = Field(description=_("La respuesta de la institución; vacía hasta que la publica."))
    url_comentarios: str = Field(description=_("Sus comentarios en esta API."))


class Comentario(Schema):
    id: int
    respuesta_a: int | None = Field(description=_("El comentario al que responde, si es una respuesta."))
    seccion: int | None
    pregunta: int | None
    fragmento: str = Field(description=_("El pasaje de la sección que comenta, si eligió uno."))
    comentario: str
    organizacion: str = Field(description=_("La organización a nombre de la que comenta, si la hay."))
    fecha: date
    apoyos: int
    tratamiento: str = Field(description=_("accepted, partly, rejected, o vacío hasta la respuesta."))
    motivo: str


class PaginaDeConsultas(Pagina):
    resultados: list[ConsultaResumen]


class PaginaDeComentarios(Pagina):
    resultados: list[Comentario]


def _consultation_summary(request: HttpRequest, consultation: Any, today: date) -> dict:
    with translation.override("es"):
        page = reverse("participation:consultation_detail", args=[consultation.slug])
    return {
        "slug": consultation.slug,
        "titulo": consultation.title,
        "institucion": records.agency_reference(consultation.agency),
        "tipo": consultation.kind,
        "abre": consultation.opens_on,
        "cierra": consultation.closes_on,
        "estado": consultation.status_on(today),
        "comentarios": getattr(consultation, "comment_count", 0),
        "url": request.build_absolute_uri(page),
        "url_api": request.build_absolute_uri(reverse("api:consultation_detail", args=[consultation.slug])),
    }


def _published_consultation(slug: str) -> Any:
    consultation = consultation_queries.published_consultations().filter(slug=slug[:64]).first()
    if consultation is None:
        raise NotFound(gettext("No hay una consulta pública con el identificador «%(slug)s».") % {"slug": slug[:64]})
    return consultation


@router.get(
    "/consultas/",
    response={200: PaginaDeConsultas, 400: Error},
    url_name="consultation_list",
    summary=_("Consultas públicas"),
    description=_("Los proyectos que las instituciones someten a consulta: abiertas primero, por fecha de cierre."),
    tags=[PETITIONS],
)
def consultation_list(request: HttpRequest, response: HttpResponse, filtros: Query[ConsultationParameters]):
    _check_parameters(request, ConsultationParameters)
    agency = _agency_parameter("institucion", filtros.institucion)
    today = business_days.today()
    rows = [consultation for consultation, _status in consultation_queries.public_list(agency, today)]
    envelope, page = _paginate(request, rows, filtros)
    set_last_modified(response, timezone.now())
    return {**envelope, "resultados": [_consultation_summary(request, c, today) for c in page]}


@router.get(
    "/consultas/{slug}/",
    response={200: FichaDeConsulta, 404: Error},
    url_name="consultation_detail",
    summary=_("Ficha de una consulta pública"),
    description=_(
        "El proyecto por secciones, las preguntas de la institución y, al final, su respuesta y el texto final."
    ),
    tags=[PETITIONS],
)
def consultation_detail(
    request: HttpRequest,
    response: HttpResponse,
    slug: str = Path(..., description=_("Identificador de la consulta."), examples=["calidad-del-aire"]),
):
    consultation = _published_consultation(slug)
    today = business_days.today()
    record = consultation_queries.consultation_record(consultation, today)
    set_last_modified(response, timezone.now())
    return {
        **_consultation_summary(request, consultation, today),
        "resumen": record["resumen"],
        "secciones": record["secciones"],
        "preguntas": record["preguntas"],
        "respuesta": record["respuesta"],
        "url_comentarios": request.build_absolute_uri(reverse("api:consultation_comments", args=[consultation.slug])),
    }


@router.get(
    "/consultas/{slug}/comentarios/",
    response={200: PaginaDeComentarios, 400: Error, 404: Error},
    url_name="consultation_comments",
    summary=_("Comentarios de una consulta pública"),
    description=_(
        "Los comentarios y respuestas, en el orden en que se hicieron, con su tratamiento cuando la institución "
        "responde. Sin nombres ni correos; un comentario retirado conserva su número y dice la regla que incumplió."
    ),
    tags=[PETITIONS],
)
def consultation_comments(
    request: HttpRequest,
    response: HttpResponse,
    filtros: Query[PageParameters],
    slug: str = Path(..., description=_("Identificador de la consulta."), examples=["calidad-del-aire"]),
):
    _check_parameters(request, PageParameters)
    consultation = _published_consultation(slug)
    envelope, page = _paginate(request, consultation_queries.comment_records(consultation), filtros)
    set_last_modified(response, timezone.now())
    return {**envelope, "resultados": page}
