"""The payer's pages under /pagos/ (docs/payments-citizen.md): «Mis pagos», the public lookup of a línea de captura,
a reference's page, its hoja de ayuda and receipt, and the re-issue of an expired one.

Thin, as the house's views are: what a reference's state means and how each channel is paid are in ``queries``; a
re-issue is ``actions.do_reissue_reference``; who may see a reference is ``access.access_reference`` (its payer and
the staff of its entity; anyone else gets a 404). Paying online, the return from the provider and the provider's
notifications are in ``views``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.middleware import public_csp
from portal.core.ratelimit import check_rate_limit, setting, too_many_requests
from portal.core.templatetags.portal import pesos

from . import access, actions, codes, hoja, ledger, queries, receipts
from .forms import LookupForm
from .models import PaymentReference

lookup_limit = setting("PAYMENTS_LOOKUP_RATE_LIMIT", 30)
lookup_window = setting("PAYMENTS_LOOKUP_RATE_WINDOW", 600)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _described(reference: PaymentReference, today: dt.date) -> dict[str, Any]:
    state = queries.state_of(reference, today=today)
    return {
        "reference": reference,
        "state": state,
        "status_label": queries.status_label(reference, state),
        "status_colour": queries.status_colour(reference, state),
    }


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def mine(request: HttpRequest) -> HttpResponse:
    """Every reference issued to the signed-in person, newest first, with what each one waits for."""
    today = ledger.local_day()
    rows = [_described(reference, today) for reference in queries.references_of_payer(request.user)]
    context = {
        "pending": [row for row in rows if row["state"] == queries.PAYABLE],
        "others": [row for row in rows if row["state"] != queries.PAYABLE],
    }
    return render(request, "payments/mine.html", context)


@never_cache
@require_http_methods(["GET", "HEAD"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Anyone with a línea de captura sees whether it is paid, what for and until when: what a clerk at a counter or
    a relative paying for someone asks. No personal data (no name, CURP or folio). Every typed lookup counts against
    the client's allowance, so the 10¹⁰ serials of an entity cannot be walked."""
    if "linea" not in request.GET:
        return render(request, "payments/lookup.html", {"form": LookupForm()})
    limited = check_rate_limit(request, "payments-lookup", lookup_limit(), lookup_window())
    if not limited.allowed:
        return too_many_requests(request, limited, "payments/lookup_rate_limited.html")
    form = LookupForm(request.GET)
    if not form.is_valid():
        return render(request, "payments/lookup.html", {"form": form}, status=400)
    reference = queries.reference_by_text(form.cleaned_data["linea"])
    if reference is None:
        context = {"form": LookupForm(), "typed": codes.grouped(form.cleaned_data["linea"])}
        return render(request, "payments/lookup_not_found.html", context, status=404)
    context = _described(reference, ledger.local_day()) | {
        "form": LookupForm(),
        "can_open": access.check_can_view_reference(request.user, reference),
    }
    return render(request, "payments/lookup_result.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def reference_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A reference's page: what is owed and why, how to pay it, and what happened to it. The pay form carries a
    fresh idempotency key drawn now, so a double press or a resent form resumes the same online payment."""
    reference = access.access_reference(request.user, public_id)
    today = ledger.local_day()
    account = queries.payment_account(reference.agency_id)
    context = _described(reference, today) | {
        "service": reference.service,
        "agency": reference.agency,
        "account": account,
        "can_pay_online": bool(account and account.accepts_online and reference.amount_centavos),
        "idempotency_key": uuid.uuid4().hex,
        "open_payment": queries.open_online_payment(reference),
        "replacement": queries.replacement_of(reference),
        "ways": queries.ways_to_pay(reference, account, hoja.reference_page_url(reference)),
        "timeline": queries.timeline(reference),
        "is_payer": reference.payer_id == request.user.pk,
    }
    response = _private(render(request, "payments/reference.html", context))
    if context["can_pay_online"] and account is not None:
        # The pay form's answer is a redirect to the provider's page, which the policy's form-action must allow.
        response.headers["Content-Security-Policy"] = public_csp(form_action=queries.payment_page_origins(account))
    return response


@login_required
@never_cache
@require_POST
def reissue(request: HttpRequest, public_id: str) -> HttpResponse:
    """A new línea de captura, with the fee in force today, for an expired one."""
    reference = access.access_reference(request.user, public_id)
    try:
        quote = queries.requote(reference, on=ledger.local_day())
        new = actions.do_reissue_reference(
            reference.pk,
            quote=quote,
            actor=request.user,
            actor_role="payer" if reference.payer_id == request.user.pk else "staff",
        )
    except queries.NoFee:
        message = _(
            "El trámite ya no tiene un derecho vigente para esta línea de captura, así que no podemos reemitirla. "
            "Comuníquese con la institución."
        )
        return _refused(request, reference, message, title=_("No se pudo reemitir la línea de captura"))
    except actions.PaymentError as refused:
        return _refused(request, reference, refused.message, title=_("No se pudo reemitir la línea de captura"))
    if new.pk == reference.pk:
        messages.info(request, _("Esta línea de captura sigue vigente: puede pagarla hasta su vencimiento."))
    else:
        messages.success(
            request,
            _(
                "Emitimos una nueva línea de captura con el monto vigente hoy: %(amount)s. La anterior ya no se puede pagar."
            )
            % {"amount": pesos(new.amount_centavos)},
        )
    return redirect("payments:reference", new.public_id)


def _refused(request: HttpRequest, reference: PaymentReference, message: str, *, title: str) -> HttpResponse:
    context = {"reference": reference, "message": message, "title": title}
    return render(request, "payments/pay_refused.html", context, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def hoja_de_ayuda(request: HttpRequest, public_id: str) -> HttpResponse:
    """The hoja de ayuda of a reference that can still be paid (after that it would send a person to the bank with
    a reference the bank refuses)."""
    reference = access.access_reference(request.user, public_id)
    if queries.state_of(reference) != queries.PAYABLE:
        raise Http404
    response = HttpResponse(hoja.render_hoja_pdf(reference), content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="hoja-de-ayuda-{reference.reference}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def receipt(request: HttpRequest, public_id: str) -> FileResponse:
    """The receipt of a paid reference (the very file whose digest ``/verificar/`` holds); 404 until it is paid."""
    reference = access.access_reference(request.user, public_id)
    if not reference.is_paid:
        raise Http404
    response = receipts.receipt_response(reference)
    patch_cache_control(response, private=True, no_store=True)
    return response
