"""The finance back office at ``/oficina/pagos/`` (docs/payments-reconciliation.md): import statements, work the
differences, refund, close the day.

Who: the entity's finance staff (``access.access_finance_agency``: 403 for someone with no finance role, 404 for an
entity where they hold none); the staff's second factor guards ``/oficina/``. The views read the form, call one action
in ``reconciliation``, ``closing`` or ``actions`` and choose the answer: success → redirect with a message; bad input
or a refusal → the page again with the message, 400 (409 when the thing changed meanwhile).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.agencies.models import Agency
from portal.core.spreadsheets import csv_response

from . import access, actions, closing, codes, ledger, reconciliation, statements
from .models import (
    Account,
    DailyClose,
    ExceptionKind,
    ExceptionStatus,
    PaymentChannel,
    PaymentReference,
    ReferenceStatus,
    StatementImport,
    StatementSource,
)

PAGE_SIZE = 50


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, f"payments/finance/{template}", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- forms ---------------------------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    origen = forms.ChoiceField(
        label=gettext_lazy("¿De quién es el archivo?"),
        choices=StatementSource.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Elija si el archivo es del banco o del proveedor de pago."),
            "invalid_choice": gettext_lazy("Elija si el archivo es del banco o del proveedor de pago."),
        },
    )
    archivo = forms.FileField(
        label=gettext_lazy("Archivo CSV"),
        help_text=gettext_lazy("Tal como lo entrega el banco o el proveedor, en UTF-8 y con su encabezado."),
        error_messages={
            "required": gettext_lazy("Elija el archivo que va a importar."),
            "empty": gettext_lazy("El archivo está vacío."),
        },
    )


class ExceptionFilterForm(forms.Form):
    tipo = forms.ChoiceField(
        label=gettext_lazy("Tipo"),
        required=False,
        choices=[("", gettext_lazy("Todos")), *ExceptionKind.choices],
        error_messages={"invalid_choice": gettext_lazy("Elija un tipo de la lista.")},
    )
    estado = forms.ChoiceField(
        label=gettext_lazy("Estado"),
        required=False,
        choices=[("", gettext_lazy("Todos")), *ExceptionStatus.choices],
        error_messages={"invalid_choice": gettext_lazy("Elija un estado de la lista.")},
    )


RESOLUTION_LABELS = {
    reconciliation.APPLY: gettext_lazy("Aplicar al adeudo"),
    reconciliation.RETURN: gettext_lazy("Devolver por transferencia"),
    reconciliation.REVIEW: gettext_lazy("Marcar como revisada"),
}


class ResolveForm(forms.Form):
    accion = forms.ChoiceField(
        label=gettext_lazy("Resolución"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Elija cómo se resuelve la diferencia."),
            "invalid_choice": gettext_lazy("Elija una de las resoluciones de la lista."),
        },
    )
    linea = forms.CharField(
        label=gettext_lazy("Línea de captura a la que se aplica (opcional)"),
        help_text=gettext_lazy("Solo para «Aplicar al adeudo»: vacía, se aplica a la del movimiento."),
        required=False,
        max_length=40,
    )
    nota = forms.CharField(
        label=gettext_lazy("Nota"),
        help_text=gettext_lazy("Qué revisó y por qué resuelve así. Queda en el historial."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Escriba una nota: qué revisó y por qué resuelve así."),
            "max_length": gettext_lazy("La nota debe tener como máximo 2000 caracteres."),
        },
    )

    def __init__(self, choices: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["accion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(choice, RESOLUTION_LABELS[choice]) for choice in choices]


class RefundSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Línea de captura o folio"),
        help_text=gettext_lazy("Los 20 dígitos de la línea de captura, o el folio del trámite."),
        max_length=60,
        error_messages={"required": gettext_lazy("Escriba la línea de captura o el folio.")},
    )


class RefundForm(forms.Form):
    monto = forms.CharField(
        label=gettext_lazy("Monto a reembolsar, en pesos"),
        help_text=gettext_lazy(
            "Con dos decimales, por ejemplo 250.00. Para un reembolso total, deje el monto completo."
        ),
        max_length=20,
        error_messages={"required": gettext_lazy("Escriba el monto a reembolsar.")},
    )
    motivo = forms.CharField(
        label=gettext_lazy("Motivo"),
        help_text=gettext_lazy("La persona lo recibirá."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": gettext_lazy("Escriba el motivo del reembolso: la persona lo recibirá.")},
    )

    def clean_monto(self) -> int:
        try:
            return statements.parse_amount(self.cleaned_data["monto"])
        except statements.StatementValueError:
            raise forms.ValidationError(_("Escriba el monto en pesos con dos decimales, por ejemplo 250.00.")) from None


class CloseForm(forms.Form):
    dia = forms.DateField(
        label=gettext_lazy("Día a cerrar"),
        help_text=gettext_lazy("AAAA-MM-DD, hora de la Ciudad de México. Solo días que ya terminaron."),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Escriba el día a cerrar."),
            "invalid": gettext_lazy("Escriba el día como AAAA-MM-DD, por ejemplo 2026-12-01."),
        },
    )


# --- pages ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The entities where this person does finance; with one only, straight to it."""
    agencies = list(access.finance_agencies(request.user))
    if not agencies:
        raise PermissionDenied
    if len(agencies) == 1:
        return redirect("payments_finance:dashboard", agency=agencies[0].slug)
    return _page(request, "home.html", {"agencies": agencies})


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request: HttpRequest, agency: str) -> HttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    return _page(
        request,
        "dashboard.html",
        {
            "agency": entity,
            "balances": _balance_rows(ledger.balances(entity.pk)),
            "open_exceptions": reconciliation.open_exception_count(entity.pk),
            "imports": StatementImport.objects.filter(agency=entity).select_related("imported_by")[:10],
            "last_close": DailyClose.objects.filter(agency=entity).first(),
        },
    )


def _balance_rows(totals: dict[str, int]) -> list[dict[str, Any]]:
    return [{"label": Account(key).label, "key": key, "centavos": value} for key, value in totals.items()]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_statement(request: HttpRequest, agency: str) -> HttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    form = ImportForm()
    refused: reconciliation.ImportRefused | None = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["archivo"]
            try:
                statement = reconciliation.do_import_statement(
                    entity, form.cleaned_data["origen"], uploaded, request.user, filename=uploaded.name
                )
            except reconciliation.ImportRefused as error:
                refused = error
                form.add_error("archivo", error.message)
            else:
                messages.success(
                    request,
                    _("Se importaron %(lines)s movimientos: %(matched)s conciliados y %(exceptions)s con diferencia.")
                    % {
                        "lines": statement.line_count,
                        "matched": statement.matched_count,
                        "exceptions": statement.exception_count,
                    },
                )
                return redirect("payments_finance:dashboard", agency=entity.slug)
        status = 400
    return _page(
        request,
        "import.html",
        {"agency": entity, "form": form, "refused": refused, "sample_columns": _columns()},
        status=status,
    )


def _columns() -> dict[str, str]:
    return {"bank": ",".join(statements.BANK_COLUMNS), "provider": ",".join(statements.PROVIDER_COLUMNS)}


@login_required
@require_http_methods(["GET", "HEAD"])
def exceptions(request: HttpRequest, agency: str) -> HttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    data = request.GET if request.GET else {"estado": ExceptionStatus.OPEN}
    form = ExceptionFilterForm(data)
    if not form.is_valid():
        return _page(
            request,
            "exceptions.html",
            {"agency": entity, "form": form, "page": None, "kinds": ExceptionKind},
            status=400,
        )
    rows = reconciliation.exceptions_of(entity, kind=form.cleaned_data["tipo"], status=form.cleaned_data["estado"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return _page(
        request,
        "exceptions.html",
        {"agency": entity, "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def exception_detail(request: HttpRequest, agency: str, exception: int) -> HttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    found = access.access_finance_exception(entity, exception)
    choices = reconciliation.resolutions_for(found)
    form = ResolveForm(choices)
    status = 200
    if request.method == "POST":
        form = ResolveForm(choices, request.POST)
        if not choices:
            messages.error(request, _("Esta diferencia ya se resolvió."))
            status = 409
        elif form.is_valid():
            try:
                reconciliation.do_resolve_exception(
                    entity,
                    found.pk,
                    resolution=form.cleaned_data["accion"],
                    note=form.cleaned_data["nota"],
                    reference_text=form.cleaned_data["linea"],
                    actor=request.user,
                )
            except reconciliation.ResolutionRefused as refused:
                field = "linea" if refused.code in ("bad_reference", "unknown_reference", "no_reference") else None
                form.add_error(field or "accion", refused.message)
                status = 409 if refused.code in ("resolved", "already_paid") else 400
            else:
                messages.success(request, _("Diferencia resuelta."))
                return redirect("payments_finance:exception", agency=entity.slug, exception=found.pk)
        else:
            status = 400
        found = access.access_finance_exception(entity, exception)
    return _page(
        request,
        "exception.html",
        {
            "agency": entity,
            "exception": found,
            "form": form,
            "held": reconciliation.held_money(found),
            "can_resolve": bool(reconciliation.resolutions_for(found)),
        },
        status=status,
    )


def _find_references(agency: Agency, text: str) -> list[PaymentReference]:
    digits = codes.normalise(text)
    rows = PaymentReference.objects.filter(agency=agency).filter(
        Q(reference=digits) | Q(subject_label__iexact=text.strip())
    )
    return list(rows.select_related("service").order_by("-issued_at")[:20])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refunds(request: HttpRequest, agency: str) -> HttpResponse:
    """Find a paid reference by its línea de captura or its folio, and refund all or part of it with a reason."""
    entity = access.access_finance_agency(request.user, agency)
    search = RefundSearchForm(request.GET or None)
    found: list[PaymentReference] = []
    status = 200
    if search.is_bound:
        if search.is_valid():
            found = _find_references(entity, search.cleaned_data["q"])
        else:
            status = 400
    chosen: PaymentReference | None = None
    refund_form: RefundForm | None = None
    if request.method == "POST":
        chosen = access.access_finance_reference(entity, request.POST.get("linea", ""))
        refund_form = RefundForm(request.POST, auto_id=f"r{chosen.pk}_%s")
        if refund_form.is_valid():
            try:
                refund = actions.do_request_refund(
                    chosen.pk,
                    amount=refund_form.cleaned_data["monto"],
                    reason=refund_form.cleaned_data["motivo"],
                    actor=request.user,
                )
            except actions.PaymentError as refused:
                refund_form.add_error(
                    "monto" if refused.code in ("too_much", "bad_amount") else "motivo", refused.message
                )
                status = 409 if refused.code in ("not_paid", "too_much") else 400
            else:
                messages.success(
                    request,
                    _("Reembolso de %(amount)s pesos registrado (%(status)s).")
                    % {
                        "amount": statements.format_pesos(refund.amount_centavos),
                        "status": refund.get_status_display(),
                    },
                )
                return redirect(f"{request.path}?q={chosen.reference}")
        else:
            status = 400
        found = [chosen]
    forms_by_reference = {
        reference.pk: refund_form
        if chosen is not None and reference.pk == chosen.pk and refund_form is not None
        else RefundForm(
            initial={"monto": statements.format_pesos(reference.refundable_centavos)}, auto_id=f"r{reference.pk}_%s"
        )
        for reference in found
    }
    return _page(
        request,
        "refunds.html",
        {
            "agency": entity,
            "search": search,
            "results": [(reference, forms_by_reference[reference.pk]) for reference in found],
            "searched": search.is_bound or chosen is not None,
            "paid_statuses": (ReferenceStatus.PAID, ReferenceStatus.PARTIALLY_REFUNDED),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def closes(request: HttpRequest, agency: str) -> HttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    yesterday = ledger.local_day() - dt.timedelta(days=1)
    form = CloseForm(initial={"dia": yesterday.isoformat()})
    status = 200
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                close = closing.do_close_day(entity, form.cleaned_data["dia"], request.user)
            except closing.CloseRefused as refused:
                form.add_error("dia", refused.message)
                status = 409 if refused.code == "closed" else 400
            else:
                messages.success(request, _("Día %(day)s cerrado.") % {"day": close.day.isoformat()})
                return redirect("payments_finance:close_day", agency=entity.slug, day=close.day.isoformat())
        else:
            status = 400
    return _page(
        request,
        "closes.html",
        {
            "agency": entity,
            "form": form,
            "closes": DailyClose.objects.filter(agency=entity).select_related("closed_by")[:60],
        },
        status=status,
    )


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "HEAD"])
def close_day(request: HttpRequest, agency: str, day: str) -> HttpResponse:
    """One day's figures: frozen as closed, or as they stand now for a day not closed yet."""
    entity = access.access_finance_agency(request.user, agency)
    when = _day(day)
    close = DailyClose.objects.filter(agency=entity, day=when).select_related("closed_by").first()
    figures = close.totals if close is not None else closing.day_figures(entity.pk, when)
    return _page(
        request,
        "close_day.html",
        {
            "agency": entity,
            "day": when,
            "close": close,
            "accounts": _balance_rows(figures.get("accounts", {})),
            "channels": _channel_rows(figures.get("channels", {})),
        },
    )


def _channel_rows(channels: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [
        {"label": PaymentChannel(key).label, "count": value.get("count", 0), "centavos": value.get("centavos", 0)}
        for key, value in channels.items()
        if key in PaymentChannel.values
    ]


@login_required
@require_http_methods(["GET", "HEAD"])
def ledger_csv(request: HttpRequest, agency: str, day: str) -> StreamingHttpResponse:
    entity = access.access_finance_agency(request.user, agency)
    when = _day(day)
    response = csv_response(
        f"asientos-{entity.slug}-{when.isoformat()}.csv",
        closing.LEDGER_CSV_COLUMNS,
        closing.ledger_rows(entity.pk, when),
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
