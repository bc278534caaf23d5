"""The payment pages that move money: paying online, the return from the provider, the provider's notifications.
Thin: every rule is in ``actions``; who may see what in ``access``. The reference's own pages are in
``views_citizen``."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import access, actions, queries
from .providers import UnknownProvider
from .providers.base import InvalidNotification, ProviderError

logger = logging.getLogger(__name__)


@login_required
@never_cache
@require_POST
def pay(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start (or resume) the online payment and send the person to the provider's page. The form carries an
    Idempotency-Key drawn when the page was shown, so a double click or a resent form resumes the same payment."""
    reference = access.access_reference(request.user, public_id)
    key = request.POST.get("clave", "") or request.headers.get("Idempotency-Key", "")
    try:
        payment = actions.do_start_payment(reference.pk, idempotency_key=key, actor=request.user)
    except actions.IdempotencyConflict as conflict:
        messages.error(request, conflict.message)
        return render(
            request, "payments/pay_refused.html", {"reference": reference, "message": conflict.message}, status=409
        )
    except actions.PaymentError as refused:
        messages.error(request, refused.message)
        return render(
            request, "payments/pay_refused.html", {"reference": reference, "message": refused.message}, status=400
        )
    except (ProviderError, UnknownProvider):
        logger.warning("event=payment_provider_unreachable reference=%s", reference.pk)
        message = _(
            "No pudimos comunicarnos con el servicio de pago. No se hizo ningún cargo; intente de nuevo en unos minutos "
            "o pague en el banco con la hoja de ayuda."
        )
        return render(request, "payments/pay_refused.html", {"reference": reference, "message": message}, status=503)
    if payment.is_final or not payment.next_url:
        return redirect("payments:return", payment.public_id)
    return HttpResponseRedirect(payment.next_url, status=303)


@never_cache
def payment_return(request: HttpRequest, payment_id: str) -> HttpResponse:
    """Where the provider sends the person back. The outcome is asked of the provider now, so it is the same whether
    the notification arrived before, arrives later, or never does."""
    payment = queries.payment_by_public_id(payment_id)
    if payment is None:
        return render(request, "payments/return_unknown.html", status=404)
    reference = (
        access.access_reference(request.user, payment.reference.public_id) if request.user.is_authenticated else None
    )
    if reference is None:
        # Signed out on the provider's page (a long payment): the outcome is still applied; the page asks to sign in.
        with contextlib.suppress(ProviderError, UnknownProvider):
            actions.do_refresh_payment(payment.pk)
        return redirect(f"{_login_url()}?next={request.get_full_path()}")
    unreachable = False
    try:
        payment = actions.do_refresh_payment(payment.pk)
    except (ProviderError, UnknownProvider):
        unreachable = True
    reference.refresh_from_db()
    return render(
        request,
        "payments/return.html",
        {
            "payment": payment,
            "reference": reference,
            "unreachable": unreachable,
            "for_a_case": queries.is_for_a_case(reference),
        },
    )


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


@csrf_exempt  # called by the provider, not a browser; authenticated by the HMAC signature of the body
@never_cache
@require_POST
def notification(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        outcome = actions.do_receive_notification(provider, request.headers, request.body)
    except UnknownProvider:
        return JsonResponse({"error": _("Proveedor de pago desconocido.")}, status=404)
    except InvalidNotification as invalid:
        logger.warning("event=payment_notification_refused provider=%s reason=%s", provider, invalid)
        return JsonResponse({"error": _("Firma o fecha de la notificación no válida.")}, status=400)
    return JsonResponse({"outcome": outcome})
