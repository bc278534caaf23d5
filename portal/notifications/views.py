"""The SMS gateway's callbacks: delivery reports, and the SMS people send. Thin: checks and changes are in ``actions``."""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.notifications import access

from . import actions, inbound

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DeliveryReportForm(forms.Form):
    estado = forms.TypedChoiceField(
        choices=[(str(value), str(value)) for value in actions.DELIVERY_REPORT_TYPES],
        coerce=int,
        error_messages={
            "required": _("Falta el tipo de informe de entrega («estado»)."),
            "invalid_choice": _("El tipo de informe de entrega («estado») debe ser 1, 2, 4, 8 o 16."),
        },
    )
    ref = forms.CharField(required=False, max_length=255)


@csrf_exempt  # called by the gateway, not a browser; authenticated by the per-message token in the URL
@never_cache
@require_http_methods(["GET", "POST"])
def sms_delivery_report(request: HttpRequest, notification_id: int, token: str) -> HttpResponse:
    notification = access.access_notification_for_delivery_report(notification_id, token)
    form = DeliveryReportForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(str(message), content_type="text/plain; charset=utf-8")
    actions.do_record_delivery_report(notification, form.cleaned_data["estado"], form.cleaned_data["ref"])
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# --- Inbound SMS -------------------------------------------------------------------------------------------------------

# What Kannel's sms-service sends (docs/sms.md): get-url = ".../notificaciones/sms/entrante/?clave=SECRET&de=%p
# &texto=%a&id=%I&smsc=%i&charset=%C". The text arrives as bytes in the message's own charset (UTF-8 for GSM-7 and
# 8-bit texts, UTF-16BE for UCS-2), so the query is read as bytes and decoded with the charset Kannel names.
_INBOUND_FIELDS = ("clave", "de", "texto", "id", "smsc", "charset")
_INBOUND_CHARSETS = {
    "": "utf-8",
    "UTF-8": "utf-8",
    "UTF-16BE": "utf-16-be",
    "ISO-8859-1": "latin-1",
    "WINDOWS-1252": "cp1252",
}
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_MAX_TEXT_BYTES = 4 * inbound.MAX_TEXT_LENGTH


def _raw_parameters(request: HttpRequest) -> dict[str, bytes]:
    """The query string's (and a POSTed form's) fields as bytes; for a repeated field, the first value."""
    sources = [request.META.get("QUERY_STRING", "")]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.body.decode("latin-1"))
    found: dict[str, bytes] = {}
    for source in sources:
        for name, value in urllib.parse.parse_qsl(source, keep_blank_values=True, encoding="latin-1"):
            if name in _INBOUND_FIELDS and name not in found:
                found[name] = value.encode("latin-1")
    return found


def _bad_request(message: StrOrPromise) -> HttpResponse:
    return HttpResponseBadRequest(str(message), content_type="text/plain; charset=utf-8")


@csrf_exempt  # called by Kannel's smsbox, not a browser; authenticated by the shared secret
@never_cache
@require_http_methods(["GET", "POST"])
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """Kannel hands over an SMS a person sent. The answer's body is empty: the reply goes through the outbox."""
    fields = _raw_parameters(request)
    token = fields.get("clave", b"").decode("latin-1")
    if not access.check_inbound_token(token):
        return HttpResponseForbidden(
            _("Clave de la pasarela SMS incorrecta."), content_type="text/plain; charset=utf-8"
        )
    missing = [name for name in ("de", "texto", "id") if name not in fields]
    if missing:
        return _bad_request(
            _("Faltan parámetros de Kannel: %(names)s (get-url con de=%%p, texto=%%a, id=%%I).")
            % {"names": ", ".join(missing)}
        )
    charset = _INBOUND_CHARSETS.get(fields.get("charset", b"").decode("latin-1").strip().upper())
    if charset is None:
        return _bad_request(_("Juego de caracteres («charset») desconocido; se aceptan UTF-8, UTF-16BE e ISO-8859-1."))
    message_id = fields["id"].decode("latin-1")
    if not _MESSAGE_ID.match(message_id):
        return _bad_request(_("El identificador del mensaje («id», %I de Kannel) no es válido."))
    sender = fields["de"].decode("latin-1")
    if not sender.strip() or len(sender) > 32:
        return _bad_request(_("El remitente («de», %p de Kannel) falta o es demasiado largo."))
    if len(fields["texto"]) > _MAX_TEXT_BYTES:
        return _bad_request(_("El texto («texto») es más largo que un SMS de diez partes."))
    try:
        text = fields["texto"].decode(charset)
    except UnicodeDecodeError:
        return _bad_request(_("El texto («texto») no está en el juego de caracteres indicado («charset»)."))
    smsc_id = fields.get("smsc", b"").decode("latin-1")[:32]
    actions.do_receive_sms(message_id, sender, text, smsc_id)
    return HttpResponse("", content_type="text/plain; charset=utf-8")
