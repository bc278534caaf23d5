"""What the agency API accepts and returns (django-ninja schemas → its OpenAPI document).

Keys are Spanish snake_case like the open-data API's; statuses are the codes of ``ApplicationStatus`` (``submitted``,
``in_review``...), with their Spanish name beside them; dates and times are ISO 8601 in UTC. Class names are the
schema names clients see, so they are Spanish too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic.json_schema import SkipJsonSchema

from portal.api.lazy import lazy_text as _

CaseStatus = Literal["submitted", "in_review", "information_requested", "approved", "rejected", "withdrawn"]
TargetStatus = Literal["in_review", "information_requested", "approved", "rejected"]
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
HOMOCLAVE_PATTERN = r"^[A-Za-z0-9 -]{3,40}$"
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class ListParameters(Schema):
    estado: CaseStatus | SkipJsonSchema[None] = Field(
        None,
        description=_("Solo solicitudes en este estado; submitted son las nuevas, que nadie ha tomado todavía."),
        examples=["submitted"],
        json_schema_extra=_no_default,
    )
    desde: str | SkipJsonSchema[None] = Field(
        None,
        description=_(
            "Solo solicitudes enviadas desde este momento (ISO 8601; sin zona horaria, hora del centro de México)."
        ),
        examples=["2026-01-31T09:00:00-06:00"],
        max_length=40,
        json_schema_extra=_no_default,
    )
    servicio: str | SkipJsonSchema[None] = Field(
        None,
        description=_("Homoclave del trámite, por ejemplo SRE-02-001."),
        examples=["SRE-02-001"],
        pattern=HOMOCLAVE_PATTERN,
        json_schema_extra=_no_default,
    )
    cursor: str | SkipJsonSchema[None] = Field(
        None,
        description=_("El cursor_siguiente de la respuesta anterior: continúa justo después de lo ya recibido."),
        pattern=CURSOR_PATTERN,
        json_schema_extra=_no_default,
    )
    limite: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=_("Solicitudes por respuesta, de 1 a 100."))


class Servicio(Schema):
    homoclave: str
    nombre: str


class ResumenDeSolicitud(Schema):
    folio: str
    estado: str = Field(description=_("Código del estado: submitted, in_review, information_requested..."))
    estado_nombre: str
    servicio: Servicio
    canal: str
    enviada_en: datetime
    fecha_limite: date | None = Field(description=_("Fecha límite legal para resolver (días hábiles)."))
    plazo_suspendido_desde: date | None = Field(
        description=_("Mientras hay una prevención sin responder, el plazo está suspendido desde esta fecha.")
    )
    actualizada_en: datetime
    url_api: str


class PaginaDeSolicitudes(Schema):
    resultados: list[ResumenDeSolicitud]
    hay_mas: bool = Field(description=_("true si hay más solicitudes ya disponibles después de esta página."))
    cursor_siguiente: str | None = Field(
        description=_(
            "Para pedir lo que sigue. Guárdelo aunque hay_mas sea false: más tarde traerá solo lo que llegue después."
        )
    )
    siguiente: str | None = Field(description=_("La dirección de la página siguiente, si hay_mas es true."))


class Solicitante(Schema):
    nombre: str
    curp: str


class Respuesta(Schema):
    id: str = Field(description=_("Identificador de la pregunta en el formulario."))
    pregunta: str
    tipo: str
    valor: Any = Field(description=_("La respuesta en el formato de docs/applications.md («Answers»)."))
    opciones_elegidas: list[str] | None = Field(
        None, description=_("En preguntas de opción: el texto de cada opción elegida, en el orden de valor.")
    )


class Archivo(Schema):
    id: str
    nombre: str
    tipo: str
    tamano: int = Field(description=_("Tamaño en bytes."))
    sha256: str
    pregunta: str
    subido_en: datetime
    url: str = Field(description=_("Dirección para descargarlo con la misma clave."))


class Evento(Schema):
    evento: str
    evento_nombre: str
    de: str
    a: str
    rol: str
    rol_nombre: str
    motivo: str
    fecha: datetime


class Pago(Schema):
    linea_de_captura: str
    estado: str = Field(description=_("pending, paid, expired, cancelled, refunded o partially_refunded."))
    concepto: str
    fundamento: str
    monto_centavos: int = Field(description=_("Lo que se cobra, en centavos, ya con el descuento."))
    descuento_centavos: int
    exencion: str
    vence: date
    pagado_en: datetime | None
    canal: str = Field(description=_("online, bank, transfer, store o counter; vacío si no se ha pagado."))
    pagado_centavos: int
    reembolsado_centavos: int


class FichaDeSolicitud(ResumenDeSolicitud):
    solicitante: Solicitante
    version_formulario: int
    respuestas: list[Respuesta]
    archivos: list[Archivo]
    eventos: list[Evento] = Field(description=_("La línea de tiempo que ve la persona solicitante."))
    resuelta_en: datetime | None
    motivo_resolucion: str
    pagos: list[Pago] = Field(description=_("Las líneas de captura de la solicitud, la más reciente primero."))


class CambioDeEstado(Schema):
    estado: TargetStatus = Field(description=_("El estado al que pasa la solicitud."), examples=["in_review"])
    motivo: str = Field(
        "",
        max_length=10000,
        description=_(
            "Obligatorio para rejected (motivos y fundamentos) y para information_requested (qué falta; la persona "
            "solicitante lo lee)."
        ),
    )


class Error(Schema):
    error: str
    parametro: str | SkipJsonSchema[None] = None
    mensaje: str
