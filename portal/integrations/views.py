"""The endpoints of /api/agencias/v1/. Thin: check the parameters, call the actions and queries, shape the records.

``request.auth`` is the caller's ``AgencyApiKey`` (``auth.ApiKeyAuth``); every read and write is limited to its agency.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Status

# The functions behind ninja's Path and Header, which its types declare as generic aliases for annotations only.
from ninja.params.functions import Header, Path

from portal.api.errors import UNKNOWN_PARAMETER, InvalidParameter
from portal.api.lazy import lazy_text as _
from portal.applications.actions.casework import CaseworkRefused
from portal.applications.actions.transitions import TransitionRefused
from portal.applications.uploads import private_file_response
from portal.core.folio import normalize_folio
from portal.integrations import access
from portal.services.homoclave import parse_homoclave

from . import queries, records
from .actions import agency_api as actions
from .auth import AgencyApiRequest
from .errors import parameter_help
from .schemas import CambioDeEstado, Error, FichaDeSolicitud, ListParameters, PaginaDeSolicitudes

router = Router()

CASES = _("Solicitudes")
LOCAL_TIME = ZoneInfo("America/Mexico_City")
# ninja annotates a parameter's examples as a dict (OpenAPI's named examples) but writes them into its JSON schema,
# where they are a list: hence the ignores where it is used.
FOLIO_EXAMPLE = "2026-7K3M-9QXD-9"
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _check_parameters(request: HttpRequest) -> None:
    """Refuse parameters the list does not know, or given twice: a typo must not silently widen the results."""
    known = ListParameters.model_fields
    for name in request.GET:
        if name not in known:
            message = gettext("Esta dirección no tiene el parámetro «%(name)s». Sus parámetros son: %(allowed)s.")
            raise InvalidParameter(
                name[:100], message % {"name": name[:100], "allowed": ", ".join(known)}, UNKNOWN_PARAMETER
            )
        if len(request.GET.getlist(name)) > 1:
            raise InvalidParameter(name, gettext("Indique este parámetro una sola vez."))


def _since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidParameter("desde", parameter_help("desde")) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TIME)
    return moment


def _homoclave(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(parse_homoclave(value))
    except ValidationError as error:
        raise InvalidParameter("servicio", error.messages[0]) from None


def _cursor(value: str | None) -> queries.Position | None:
    if value is None:
        return None
    try:
        return queries.decode_cursor(value)
    except queries.BadCursor:
        raise InvalidParameter("cursor", parameter_help("cursor")) from None


@router.get(
    "/solicitudes/",
    response={200: PaginaDeSolicitudes, 400: Error, 401: Error},
    url_name="application_list",
    summary=_("Solicitudes de su institución"),
    description=_(
        "Las solicitudes enviadas a su institución (nunca borradores), de la más antigua a la más nueva por fecha de "
        "envío. Se pagina con cursor: pida de nuevo con cursor_siguiente para recibir solo lo que sigue; guardándolo, "
        "la misma consulta trae más tarde solo las solicitudes nuevas. Las enviadas en los últimos segundos aparecen "
        "en la siguiente consulta."
    ),
    tags=[CASES],
)
def application_list(request: AgencyApiRequest, filtros: Query[ListParameters]) -> dict[str, Any]:
    _check_parameters(request)
    position = _cursor(filtros.cursor)
    cases = queries.listed_cases(
        request.auth,
        status=filtros.estado,
        since=_since(filtros.desde),
        homoclave=_homoclave(filtros.servicio),
        after=position,
    )
    rows, more = queries.page_of_cases(cases, filtros.limite)
    next_cursor = filtros.cursor
    following = None
    if rows:
        last = rows[-1]
        assert last.submitted_at is not None  # listed_cases lists submitted cases only
        next_cursor = queries.encode_cursor(queries.Position(last.submitted_at, last.pk))
        if more:  # only after a full page
            query = request.GET.copy()
            query["cursor"] = next_cursor
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "resultados": [records.case_summary(request, application) for application in rows],
        "hay_mas": more,
        "cursor_siguiente": next_cursor,
        "siguiente": following,
    }


@router.get(
    "/solicitudes/{folio}/",
    response={200: FichaDeSolicitud, 401: Error, 404: Error},
    url_name="application_detail",
    summary=_("Una solicitud completa"),
    description=_(
        "Estado, fechas, respuestas del formulario, archivos (con huella SHA-256, tamaño, tipo y dirección de "
        "descarga) y la línea de tiempo que ve la persona solicitante."
    ),
    tags=[CASES],
)
def application_detail(
    request: AgencyApiRequest,
    folio: str = Path(
        ...,
        description=_("Folio de la solicitud."),
        examples=[FOLIO_EXAMPLE],  # type: ignore[arg-type]  # see FOLIO_EXAMPLE
    ),
) -> dict[str, Any]:
    return records.case_sheet(request, access.access_agency_case(request.auth, folio))


_FILE_RESPONSE = {
    "200": {
        "description": str(_("El archivo, tal como se guardó (sin metadatos).")),
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILE_TYPES},
    }
}


@router.get(
    "/solicitudes/{folio}/archivos/{attachment_id}/",
    response={401: Error, 404: Error},
    url_name="attachment_download",
    summary=_("Descargar un archivo de una solicitud"),
    description=_("El identificador del archivo está en archivos[].id de la solicitud."),
    tags=[CASES],
    openapi_extra={"responses": _FILE_RESPONSE},
)
def attachment_download(
    request: AgencyApiRequest,
    folio: str = Path(
        ...,
        description=_("Folio de la solicitud."),
        examples=[FOLIO_EXAMPLE],  # type: ignore[arg-type]  # see FOLIO_EXAMPLE
    ),
    attachment_id: str = Path(..., description=_("Identificador del archivo.")),
) -> FileResponse:
    attachment = access.access_case_attachment(request.auth, folio, attachment_id)
    return private_file_response(attachment.storage_name, attachment.content_type, attachment.original_name)


def _json_ready(body: dict[str, Any]) -> dict[str, Any]:
    ready: dict[str, Any] = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    return ready


@router.post(
    "/solicitudes/{folio}/estado/",
    response={200: FichaDeSolicitud, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    url_name="application_status",
    summary=_("Cambiar el estado de una solicitud"),
    description=_(
        "Con las mismas reglas que la oficina virtual: tomarla para revisión (in_review), pedir información a la "
        "persona solicitante (information_requested, una sola vez, con el motivo), o resolverla (approved o "
        "rejected; el rechazo exige motivo), lo que emite la resolución y avisa a la persona. Un cambio que el "
        "estado actual no permite recibe 409. Queda en la línea de tiempo como «Sistema de la institución». "
        "Con el encabezado Idempotency-Key, repetir la petición devuelve la misma respuesta sin cambiar nada más."
    ),
    tags=[CASES],
)
def application_status(
    request: AgencyApiRequest,
    cambio: CambioDeEstado,
    folio: str = Path(
        ...,
        description=_("Folio de la solicitud."),
        examples=[FOLIO_EXAMPLE],  # type: ignore[arg-type]  # see FOLIO_EXAMPLE
    ),
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description=_("Opcional: una clave única por cambio (por ejemplo un UUID) para poder repetir sin duplicar."),
        max_length=actions.IDEMPOTENCY_KEY_MAX_LENGTH,
    ),
) -> Status[Any]:
    api_key = request.auth
    access.check_can_write(api_key)
    try:
        idempotency = actions.check_idempotency_key(idempotency_key)
    except ValidationError as error:
        raise InvalidParameter("Idempotency-Key", error.messages[0]) from None
    body = cambio.dict()
    digest = actions.request_digest(normalize_folio(folio), body)
    if idempotency is not None:
        try:
            record = actions.find_idempotent_response(api_key, idempotency, digest)
        except actions.IdempotencyConflict as error:
            raise InvalidParameter("Idempotency-Key", error.messages[0]) from None
        if record is not None:
            return Status(record.response_status, record.response_body)
    with transaction.atomic():
        try:
            application = actions.do_change_status(api_key, folio, cambio.estado, cambio.motivo)
        except (TransitionRefused, CaseworkRefused):
            raise
        except ValidationError as error:
            parameter = "estado" if error.code == "status" else "motivo"
            raise InvalidParameter(parameter, error.messages[0]) from None
        sheet = _json_ready(records.case_sheet(request, application))
        if idempotency is not None:
            record = actions.do_store_idempotent_response(api_key, idempotency, digest, 200, sheet)
            return Status(record.response_status, record.response_body)
    return Status(200, sheet)
