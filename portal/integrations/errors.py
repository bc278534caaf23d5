"""Every refusal of the agency API is JSON with a Spanish sentence: what was wrong and how to put it right.

Same shape as the open-data API (``portal.api.errors``): ``{"error": code, "parametro"?: name, "mensaje": text}``.
401 without a valid key (with ``WWW-Authenticate: Bearer``), 403 for a read-only key that writes, 404 for a folio the
key's agency does not have (whether it exists elsewhere or not), 409 for a status change the case's state does not
allow, 400 for a bad parameter. Never a 422 or an HTML page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from portal.api.errors import (
    INVALID_PARAMETER,
    NOT_FOUND,
    InvalidParameter,
    add_handler,
    error_body,
    on_body_too_large,
    on_invalid_parameter,
    on_unexpected,
)
from portal.applications.actions.casework import CaseworkRefused
from portal.applications.actions.transitions import TransitionRefused

UNAUTHENTICATED = "no_autenticado"
FORBIDDEN = "sin_permiso"
CONFLICT = "cambio_no_permitido"

PARAMETER_HELP = {
    "estado": _(
        "El estado es uno de: submitted, in_review, information_requested, approved, rejected, withdrawn "
        "(para cambiarlo: in_review, information_requested, approved o rejected)."
    ),
    "desde": _("La fecha y hora van en ISO 8601, por ejemplo 2026-01-31T09:00:00-06:00 o 2026-01-31."),
    "servicio": _("El trámite se indica con su homoclave, por ejemplo SRE-02-001."),
    "cursor": _("El cursor es el valor de cursor_siguiente de una respuesta anterior, sin cambios."),
    "limite": _("El límite es un número entero de 1 a 100."),
    "motivo": _("El motivo es texto de hasta 10,000 caracteres."),
    "cuerpo": _('El cuerpo debe ser JSON, por ejemplo {"estado": "in_review", "motivo": ""}.'),
}


def parameter_help(parameter: str) -> str:
    text = PARAMETER_HELP.get(parameter)
    return str(text) if text else gettext("El valor de este parámetro no es válido.")


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    parameter = ""
    for error in exc.errors:
        location = error.get("loc", ())
        parameter = next((str(part) for part in location if part in PARAMETER_HELP), "")
        if not parameter and location and location[0] == "body":
            parameter = "cuerpo"
        if parameter:
            break
    return api.create_response(request, error_body(INVALID_PARAMETER, parameter_help(parameter), parameter), status=400)


def _on_unauthenticated(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    message = gettext(
        "Falta una clave de API válida. Envíe el encabezado Authorization: Bearer vt_… con una clave vigente de su "
        "institución; las claves se crean en la administración del portal."
    )
    response = api.create_response(request, error_body(UNAUTHENTICATED, message), status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="ventanilla-agencias"'
    return response


def _on_forbidden(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> HttpResponse:
    message = str(exc.args[0]) if exc.args else gettext("Esta clave no tiene permiso para esto.")
    return api.create_response(request, error_body(FORBIDDEN, message), status=403)


def _on_not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    message = gettext("Su institución no tiene una solicitud con ese folio, o no existe ese archivo.")
    return api.create_response(request, error_body(NOT_FOUND, message), status=404)


def _on_refused(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body(CONFLICT, exc.messages[0]), status=409)


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if exc.status_code == 401:
        return _on_unauthenticated(request, exc, api)
    if exc.status_code == 400:  # ninja's "Cannot parse request body": the body is not JSON.
        return api.create_response(
            request, error_body(INVALID_PARAMETER, parameter_help("cuerpo"), "cuerpo"), status=400
        )
    return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)


def install_error_handlers(api: NinjaAPI) -> None:
    add_handler(api, NinjaValidationError, _on_validation_error)
    add_handler(api, InvalidParameter, on_invalid_parameter)
    add_handler(api, AuthenticationError, _on_unauthenticated)
    add_handler(api, PermissionDenied, _on_forbidden)
    add_handler(api, Http404, _on_not_found)
    add_handler(api, TransitionRefused, _on_refused)
    add_handler(api, CaseworkRefused, _on_refused)
    add_handler(api, HttpError, _on_http_error)
    add_handler(api, RequestDataTooBig, on_body_too_large)
    add_handler(api, Exception, on_unexpected)
