"""The API's refusals: every one is JSON that says, in Spanish, what was wrong and how to put it right.

A client that sends a bad parameter gets 400 with the parameter's name and a sentence about the values it takes,
whether the check failed in django-ninja's own validation or in ours; an unknown key gets 404. Nothing a client sends
may turn into a 500 or into ninja's default 422.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from portal.core.body_limits import body_too_large_response, max_data_bytes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

INVALID_PARAMETER = "parametro_invalido"
UNKNOWN_PARAMETER = "parametro_desconocido"
NOT_FOUND = "no_encontrado"
METHOD_NOT_ALLOWED = "metodo_no_permitido"
INTERNAL_ERROR = "error_interno"

# What each parameter takes, said once: used for ninja's type errors and for our own checks alike.
PARAMETER_HELP = {
    "tema": _(
        "El tema se indica con su identificador, por ejemplo salud. Los identificadores están en /api/v1/temas/."
    ),
    "momento": _(
        "El momento de vida se indica con su identificador, por ejemplo tener-un-bebe. "
        "Los identificadores están en /api/v1/momentos-de-vida/."
    ),
    "institucion": _(
        "La institución se indica con su identificador, por ejemplo imss. "
        "Los identificadores están en /api/v1/instituciones/."
    ),
    "sector": _(
        "El sector se indica con el identificador de la institución que lo encabeza, por ejemplo ssa. "
        "Los identificadores están en /api/v1/instituciones/."
    ),
    "orden": _("El orden de gobierno es federal, estatal o municipal."),
    "canal": _("El canal es en-linea, presencial o telefono."),
    "gratuito": _("Escriba true para ver solo los gratuitos o false para ver solo los que tienen costo."),
    "actualizado_desde": _("La fecha va en formato ISO AAAA-MM-DD, por ejemplo 2025-01-31."),
    "municipio": _("El municipio se indica con su clave INEGI de 5 dígitos, por ejemplo 06002 (Colima, Colima)."),
    "pagina": _("La página es un número entero a partir de 1."),
    "por_pagina": _("Los resultados por página son un número entero de 1 a 100."),
}


class InvalidParameter(Exception):  # noqa: N818 - named for what the client did, like Django's Http404
    """A query parameter the API cannot honour; ``message`` tells the client what it takes."""

    def __init__(self, parameter: str, message: str, code: str = INVALID_PARAMETER) -> None:
        self.parameter = parameter
        self.message = message
        self.code = code
        super().__init__(parameter, message)


class NotFound(Exception):  # noqa: N818
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def error_body(code: str, message: StrOrPromise, parameter: str | None = None) -> dict:
    body = {"error": code}
    if parameter is not None:
        body["parametro"] = parameter
    body["mensaje"] = str(message)
    return body


def parameter_help(parameter: str) -> str:
    help_text = PARAMETER_HELP.get(parameter)
    return str(help_text) if help_text else gettext("El valor de este parámetro no es válido.")


def on_invalid_parameter(request: HttpRequest, exc: InvalidParameter, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, exc.message, exc.parameter), status=400)


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    """ninja's type and range errors, in our shape: the first offending parameter and what it takes."""
    # ninja reports ("query", "pagina") for plain fields but ("query", "filtros", "orden", "literal[...]") inside
    # unions, so the parameter is the first part of the location that names one.
    parameter = ""
    for error in exc.errors:
        parameter = next((part for part in error.get("loc", ()) if part in PARAMETER_HELP), "")
        if parameter:
            break
    return api.create_response(request, error_body(INVALID_PARAMETER, parameter_help(parameter), parameter), status=400)


def _on_not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    message = exc.message if isinstance(exc, NotFound) else gettext("No existe ese recurso en la API.")
    return api.create_response(request, error_body(NOT_FOUND, message), status=404)


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)


def on_unexpected(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # The path and the exception only: query strings and bodies could carry what a person typed.
    logger.exception("api=%s error path=%s", api.urls_namespace, request.path, exc_info=exc)
    message = gettext("Ocurrió un error en el servidor. Intente de nuevo en unos minutos.")
    return api.create_response(request, error_body(INTERNAL_ERROR, message), status=500)


def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig, api: NinjaAPI) -> HttpResponse:
    """A body found too big only while it was read (``portal.core.body_limits`` refuses the rest before the view)."""
    return body_too_large_response(request, max_data_bytes(), sent=0)


_E = TypeVar("_E", bound=Exception)


def add_handler(
    api: NinjaAPI, exc_class: type[_E], handler: Callable[[HttpRequest, _E, NinjaAPI], HttpResponse]
) -> None:
    """``api.add_exception_handler`` for a handler typed with the exception it handles (the agency API's too).

    ninja annotates a handler's argument as the exception or its class; it passes the exception (it finds the
    handler by the exception's type).
    """

    def on_exception(request: HttpRequest, exc: _E | type[_E]) -> HttpResponse:
        return handler(request, cast(_E, exc), api)

    api.add_exception_handler(exc_class, on_exception)


def install_error_handlers(api: NinjaAPI) -> None:
    add_handler(api, InvalidParameter, on_invalid_parameter)
    add_handler(api, NinjaValidationError, _on_validation_error)
    add_handler(api, NotFound, _on_not_found)
    add_handler(api, Http404, _on_not_found)
    add_handler(api, HttpError, _on_http_error)
    add_handler(api, RequestDataTooBig, on_body_too_large)
    add_handler(api, Exception, on_unexpected)
