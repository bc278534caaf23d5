"""What the API accepts and returns, as django-ninja schemas: they validate the query string and write the OpenAPI
document that the documentation page and schemathesis read.

Keys are Spanish snake_case and the same as the columns of the CSV downloads: ``institucion.slug`` in JSON is
``institucion_slug`` in CSV. Money is integer centavos; dates and times are ISO 8601 in UTC.

The response schemas are named in Spanish although they are code: their class names become the schema names that
clients and the documentation page show (``FichaDeTramite``), and those are part of the public contract.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator
from pydantic.json_schema import SkipJsonSchema

from .lazy import lazy_text as _

SLUG_PATTERN = r"^[A-Za-z0-9_-]{1,100}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
INEGI_MUNICIPALITY_PATTERN = r"^[0-9]{5}$"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

Level = Literal["federal", "estatal", "municipal"]
Channel = Literal["en-linea", "presencial", "telefono"]


def _no_default(schema: dict[str, Any]) -> None:
    # An absent filter is "no filter"; advertising ``default: null`` would invite clients to send the word null.
    schema.pop("default", None)


def _filter(description, example: str | None = None, pattern: str | None = None, format: str = "") -> Any:  # noqa: A002
    def extra(schema: dict[str, Any]) -> None:
        _no_default(schema)
        if format:
            schema["format"] = format

    examples = [example] if example is not None else None
    return Field(None, description=description, examples=examples, pattern=pattern, json_schema_extra=extra)


# --- Query strings --------------------------------------------------------------------------------------------------


class PageParameters(Schema):
    """Every list pages the same way. A parameter given empty (``?orden=``) is an error like any other bad value."""

    pagina: int = Field(1, ge=1, description=_("Número de página, desde 1."), examples=[1])
    por_pagina: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=_("Resultados por página, de 1 a 100."),
        examples=[DEFAULT_PAGE_SIZE],
    )


class ServiceParameters(PageParameters):
    tema: str | SkipJsonSchema[None] = _filter(
        _("Identificador de un tema (ver /api/v1/temas/)."), "salud", pattern=SLUG_PATTERN
    )
    momento: str | SkipJsonSchema[None] = _filter(
        _("Identificador de un momento de vida (ver /api/v1/momentos-de-vida/)."), "tener-un-bebe", pattern=SLUG_PATTERN
    )
    institucion: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución responsable (ver /api/v1/instituciones/)."), "imss", pattern=SLUG_PATTERN
    )
    orden: Level | SkipJsonSchema[None] = _filter(_("Orden de gobierno de la institución responsable."), "federal")
    canal: Channel | SkipJsonSchema[None] = _filter(_("Cómo se puede hacer el trámite."), "en-linea")
    gratuito: bool | SkipJsonSchema[None] = _filter(
        _("true: solo trámites sin costo; false: solo trámites con costo."), "true"
    )
    actualizado_desde: str | SkipJsonSchema[None] = _filter(
        _("Solo trámites publicados o actualizados desde esta fecha (AAAA-MM-DD, hora del centro de México)."),
        "2025-01-31",
        pattern=DATE_PATTERN,
        format="date",
    )

    @field_validator("actualizado_desde")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # The pattern admits 2025-02-31; the calendar does not.
        return value

    @property
    def updated_since(self) -> date | None:
        return date.fromisoformat(self.actualizado_desde) if self.actualizado_desde else None


class AgencyParameters(PageParameters):
    orden: Level | SkipJsonSchema[None] = _filter(_("Orden de gobierno."), "federal")
    sector: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución que encabeza el sector; incluye a la cabeza del sector."),
        "ssa",
        pattern=SLUG_PATTERN,
    )


class OfficeParameters(PageParameters):
    institucion: str | SkipJsonSchema[None] = _filter(
        _("Identificador de la institución (ver /api/v1/instituciones/)."), "imss", pattern=SLUG_PATTERN
    )
    municipio: str | SkipJsonSchema[None] = _filter(
        _("Clave INEGI del municipio, de 5 dígitos."), "06002", pattern=INEGI_MUNICIPALITY_PATTERN
    )


# --- Responses ------------------------------------------------------------------------------------------------------


class Error(Schema):
    error: str = Field(description=_("Código del error: parametro_invalido, parametro_desconocido, no_encontrado…"))
    parametro: str | SkipJsonSchema[None] = Field(
        None, description=_("El parámetro que causó el error, si lo hay."), json_schema_extra=_no_default
    )
    mensaje: str = Field(description=_("Qué pasó y cómo corregirlo, en español."))


class Lugar(Schema):
    clave_inegi: str = Field(description=_("Clave del INEGI."))
    nombre: str


class InstitucionReferencia(Schema):
    slug: str = Field(description=_("Identificador de la institución en las direcciones."))
    siglas: str
    nombre: str


class InstitucionResumen(InstitucionReferencia):
    orden: Level = Field(description=_("Orden de gobierno."))
    url: str = Field(description=_("Página pública de la institución."))
    url_api: str = Field(description=_("Ficha de la institución en esta API."))


class Clasificacion(Schema):
    slug: str
    nombre: str


class Oficina(Schema):
    id: int = Field(description=_("Identificador estable de la oficina."))
    institucion: InstitucionReferencia
    nombre: str
    calle: str = Field(description=_("Calle y número."))
    colonia: str
    codigo_postal: str
    municipio: Lugar
    estado: Lugar
    horario: str = Field(description=_("Horario de atención, tal como lo publica la institución."))
    telefono: str
    correo: str
    latitud: float = Field(description=_("Latitud WGS84 en grados decimales."))
    longitud: float = Field(description=_("Longitud WGS84 en grados decimales."))
    accesibilidad: str
    zona_horaria: str = Field(description=_("Zona horaria IANA de la oficina."))


class Costo(Schema):
    concepto: str
    monto_centavos: int = Field(description=_("Monto en centavos de peso (179000 = $1,790.00)."))


class Requisito(Schema):
    documento: str
    presentacion: str = Field(
        description=_("original, copia, original_y_copia, original_para_cotejo, digital o dato."),
    )
    copias: int | None = None
    condiciones: str


class FundamentoJuridico(Schema):
    ordenamiento: str
    articulos: str
    url: str


class Formato(Schema):
    nombre: str
    tipo: Literal["documento", "enlace"]
    url: str = Field(description=_("Dirección absoluta del formato."))


class TramiteResumen(Schema):
    homoclave: str = Field(description=_("Clave del trámite en el Registro Nacional, p. ej. IMSS-02-008."))
    nombre: str
    descripcion: str
    institucion: InstitucionResumen
    canales: list[Channel] = Field(description=_("Por dónde se puede hacer: en-linea, presencial, telefono."))
    gratuito: bool
    costo_minimo_centavos: int = Field(
        description=_(
            "El menor de los costos, en centavos; los costos son alternativos y no se suman. 0 si es gratuito o variable."
        )
    )
    plazo_resolucion_dias_habiles: int = Field(description=_("0 si se resuelve en el momento."))
    nivel_digitalizacion: int = Field(description=_("De 1 (solo información) a 5 (totalmente en línea)."))
    temas: list[Clasificacion]
    momentos_de_vida: list[Clasificacion]
    url: str = Field(description=_("Ficha pública del trámite."))
    url_api: str = Field(description=_("Ficha completa en esta API."))
    ultima_publicacion: datetime | None = Field(description=_("Cuándo se publicó la versión vigente (UTC)."))


class FichaDeTramite(TramiteResumen):
    resultado: str = Field(description=_("Qué obtiene la persona."))
    dirigido_a: Literal["persona", "empresa", "ambas"]
    casos: list[str] = Field(description=_("Casos en que debe realizarse."))
    requisitos: list[Requisito]
    pasos: list[str]
    formatos: list[Formato]
    fundamento_juridico: list[FundamentoJuridico]
    url_en_linea: str = Field(description=_("Dónde hacerlo en línea; vacío si no se puede."))
    presencial: bool
    telefono: str = Field(description=_("Atención telefónica; vacío si no hay."))
    costos: list[Costo]
    informacion_de_pago: str
    silencio_administrativo: Literal["afirmativa", "negativa", "no_aplica"] = Field(
        description=_("Qué pasa si la autoridad no responde en el plazo."),
    )
    vigencia: str
    oficinas: list[Oficina]
    contacto: str
    quejas: str
    volumen_anual: int = Field(description=_("Solicitudes estimadas al año."))
    minutos_promedio_persona: int = Field(description=_("Tiempo promedio que la persona dedica, con traslados."))
    palabras_clave: str


class Institucion(InstitucionReferencia):
    nombre_corto: str
    orden: Level
    naturaleza: str = Field(description=_("Naturaleza jurídica (secretaria, descentralizado, autonomo…)."))
    sector: InstitucionReferencia | None = Field(description=_("Institución que encabeza su sector, si la hay."))
    estado: Lugar | None = Field(description=_("Entidad federativa, para instituciones estatales y municipales."))
    municipio: Lugar | None = Field(description=_("Municipio, para ayuntamientos y entidades municipales."))
    descripcion: str
    sitio_web: str
    telefono: str
    correo: str
    numero_de_tramites: int = Field(description=_("Trámites vigentes publicados."))
    url: str
    url_api: str
    actualizado: datetime = Field(description=_("Última modificación de la ficha de la institución (UTC)."))


class FichaDeInstitucion(Institucion):
    oficinas: list[Oficina]
    url_api_tramites: str = Field(description=_("Sus trámites en esta API."))


class TemaOMomento(Clasificacion):
    descripcion: str
    numero_de_tramites: int
    url_api_tramites: str = Field(description=_("Trámites del tema en esta API."))


class Pagina(Schema):
    total: int = Field(description=_("Resultados en total, en todas las páginas."))
    pagina: int
    por_pagina: int
    paginas: int = Field(description=_("Número de páginas."))
    siguiente: str | None = Field(description=_("Dirección de la página siguiente; null en la última."))
    anterior: str | None = Field(description=_("Dirección de la página anterior; null en la primera."))


class PaginaDeTramites(Pagina):
    resultados: list[TramiteResumen]


class PaginaDeInstituciones(Pagina):
    resultados: list[Institucion]


class PaginaDeOficinas(Pagina):
    resultados: list[Oficina]


class PaginaDeTemas(Pagina):
    resultados: list[TemaOMomento]


class Indice(Schema):
    nombre: str
    version: str
    licencia: str
    url_licencia: str
    documentacion: str
    esquema_openapi: str
    datos_abiertos: str
    recursos: dict[str, str] = Field(description=_("Dirección de cada colección."))
