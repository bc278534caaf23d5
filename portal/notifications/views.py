"""The SMS gateway's delivery-report callback. Thin: the token check and the state change are in ``actions``."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.notifications import access

from . import actions


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
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    actions.do_record_delivery_report(notification, form.cleaned_data["estado"], form.cleaned_data["ref"])
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
