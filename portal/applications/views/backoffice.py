"""The back office at ``/oficina/``: an entity's queue of cases and the case page with its acts.

Pages use the site's own templates (not the Wagtail admin) and work without JavaScript. Every act is a POST with
CSRF that calls one ``actions.casework.do_*``; the views only read the form, call it and choose the answer:

- success → redirect to the case page with a message (POST/redirect/GET);
- bad input → the same page with the error summary, 400;
- the case changed meanwhile (``StaleCase``) or the act is not allowed in its state → the page again, with the
  current state, the message and what the person typed, 409.

Access: only staff holding a back-office role (``access``); anonymous people are sent to sign in, others
get 403, and an entity or case outside the person's roles is a 404.

Which acts the case page offers is ``casework.acts_on_case`` (the template reads ``acts``); the views compare no
status or role themselves.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.core import business_days

from .. import access
from ..actions import casework
from ..actions.transitions import TransitionRefused
from ..models import Application, ApplicationStatus
from ..queries import backoffice as queries
from ..queries.citizen import case_payments
from ..resolution import resolution_pdf_response

S = ApplicationStatus
ME = "yo"
NOBODY = "nadie"


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _case_url(agency, case: Application) -> str:
    return reverse("applications_backoffice:case", kwargs={"agency": agency.slug, "folio": case.folio})


# --- Forms ------------------------------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    servicio = forms.TypedChoiceField(
        label=gettext_lazy("Trámite"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": gettext_lazy("Ese trámite no es de esta institución. Elija uno de la lista.")
        },
    )
    estado = forms.ChoiceField(
        label=gettext_lazy("Estado"),
        required=False,
        choices=[
            (queries.StatusFilter.OPEN, gettext_lazy("En trámite (todas las abiertas)")),
            *[(value, label) for value, label in S.choices if value in S.case_values()],
            (queries.StatusFilter.ALL, gettext_lazy("Todas")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Ese estado no existe. Elija uno de la lista.")},
    )
    plazo = forms.ChoiceField(
        label=gettext_lazy("Plazo legal"),
        required=False,
        choices=[
            ("", gettext_lazy("Cualquiera")),
            (queries.DeadlineFilter.OVERDUE, gettext_lazy("Vencidas")),
            (queries.DeadlineFilter.DUE_SOON, gettext_lazy("Por vencer (3 días hábiles o menos)")),
            (queries.DeadlineFilter.ON_TIME, gettext_lazy("En plazo")),
            (queries.DeadlineFilter.UNANSWERED, gettext_lazy("Prevención sin respuesta en su plazo")),
        ],
        error_messages={
            "invalid_choice": gettext_lazy("Elija vencidas, por vencer, en plazo o prevención sin respuesta.")
        },
    )
    asignacion = forms.ChoiceField(
        label=gettext_lazy("Asignación"),
        required=False,
        choices=[
            ("", gettext_lazy("Todas")),
            (queries.AssignmentFilter.MINE, gettext_lazy("Asignadas a mí")),
            (queries.AssignmentFilter.UNASSIGNED, gettext_lazy("Sin asignar")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Elija asignadas a mí o sin asignar.")},
    )

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        services = queries.queue_services(agency).values_list("pk", "title")
        cast(forms.ChoiceField, self.fields["servicio"]).choices = [("", _("Todos los trámites")), *services]

    def to_filters(self) -> queries.QueueFilters:
        data = self.cleaned_data
        return queries.QueueFilters(
            service_id=data.get("servicio"),
            status=data.get("estado") or queries.StatusFilter.OPEN,
            deadline=data.get("plazo") or "",
            assignment=data.get("asignacion") or "",
        )


class ExpectedStatusForm(forms.Form):
    """What every act on a case carries: the status the person saw, to detect a change made meanwhile."""

    estado = forms.ChoiceField(choices=S.choices, widget=forms.HiddenInput)


class AssignForm(forms.Form):
    asignar_a = forms.ChoiceField(
        label=gettext_lazy("Asignar a"),
        error_messages={
            "required": gettext_lazy("Elija a quién asignar la solicitud."),
            "invalid_choice": gettext_lazy("Elija a una persona dictaminadora de la lista."),
        },
    )
    asignada = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, workers, actor, offer_self: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        if offer_self:
            choices.append((ME, _("A mí")))
        choices += [(str(worker.pk), queries.staff_choice_label(worker)) for worker in workers if worker.pk != actor.pk]
        choices.append((NOBODY, _("A nadie (dejarla sin asignar)")))
        cast(forms.ChoiceField, self.fields["asignar_a"]).choices = choices

    def expected_assignee_id(self) -> int | None:
        value = self.cleaned_data.get("asignada") or ""
        return int(value) if value.isdigit() else None


class NoteForm(forms.Form):
    nota = forms.CharField(
        label=gettext_lazy("Nota interna"),
        help_text=gettext_lazy("Solo la ve el personal de la institución; la persona solicitante nunca la ve."),
        max_length=casework.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Escriba la nota."),
            "max_length": gettext_lazy("La nota puede tener hasta %(limit_value)d caracteres."),
        },
    )


class InformationRequestForm(ExpectedStatusForm):
    mensaje = forms.CharField(
        label=gettext_lazy("¿Qué información o documentos faltan?"),
        help_text=gettext_lazy(
            "La persona solicitante lo leerá tal cual: diga qué falta, por qué, y cómo entregarlo. "
            "Solo puede pedir información una vez por solicitud."
        ),
        max_length=casework.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Escriba qué información o documentos faltan y por qué."),
            "max_length": gettext_lazy("El mensaje puede tener hasta %(limit_value)d caracteres."),
        },
    )


APPROVE = "procedente"
REJECT = "no-procedente"


class ResolveForm(ExpectedStatusForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Sentido de la resolución"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, gettext_lazy("Procedente: aprobar la solicitud")),
            (REJECT, gettext_lazy("No procedente: rechazar la solicitud")),
        ],
        error_messages={
            "required": gettext_lazy("Elija si la solicitud es procedente o no procedente."),
            "invalid_choice": gettext_lazy("Elija procedente o no procedente."),
        },
    )
    motivos = forms.CharField(
        label=gettext_lazy("Motivos y fundamentos"),
        help_text=gettext_lazy(
            "Obligatorios para rechazar: cite los hechos y los artículos en que se funda. Para aprobar, puede "
            "agregar observaciones. Aparecen en la resolución que recibe la persona solicitante."
        ),
        required=False,
        max_length=casework.REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": gettext_lazy("Los motivos pueden tener hasta %(limit_value)d caracteres.")},
    )
    confirmar = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, only_reject: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if only_reject:
            cast(forms.ChoiceField, self.fields["decision"]).choices = [
                (REJECT, _("No procedente: desechar la solicitud"))
            ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == REJECT and not (data.get("motivos") or "").strip():
            self.add_error("motivos", _("Escriba los motivos y fundamentos del rechazo."))
        return data

    @property
    def approved(self) -> bool:
        return self.cleaned_data.get("decision") == APPROVE


# --- Pages ------------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The entities whose back office the person may open; straight to the queue when there is only one."""
    agencies = list(access.backoffice_agencies(request.user))
    if not agencies:
        if access.check_works_elsewhere_in_the_backoffice(request.user):
            return redirect("reports_backoffice:inbox")
        if access.check_serves_at_a_counter(request.user):
            return redirect("appointments_office:home")
        if access.check_collects_fees(request.user):
            return redirect("payments_finance:home")
        raise PermissionDenied
    if len(agencies) == 1:
        return redirect("applications_backoffice:queue", agency=agencies[0].slug)
    return _private(render(request, "applications/backoffice/home.html", {"agencies": agencies}))


@login_required
@require_http_methods(["GET", "HEAD"])
def agency_home(request: HttpRequest, agency: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    return redirect("applications_backoffice:queue", agency=found.slug)


def _layout_context(request: HttpRequest, agency) -> dict:
    return {
        "agency": agency,
        "several_agencies": access.backoffice_agencies(request.user)[:2].count() > 1,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def queue(request: HttpRequest, agency: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    params = request.GET.copy()
    params.pop("pagina", None)
    form = QueueFilterForm(params or None, agency=found)
    context = _layout_context(request, found) | {"form": form, "page": None, "rows": []}
    if form.is_bound and not form.is_valid():
        return _private(render(request, "applications/backoffice/queue.html", context, status=400))
    filters = form.to_filters() if form.is_bound else queries.QueueFilters()
    today = business_days.today()
    calendar = business_days.get_calendar()
    cases = queries.queue(found, filters, user=request.user, today=today, calendar=calendar)
    page = Paginator(cases, queries.QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [(case, queries.deadline_of(case, today, calendar)) for case in page.object_list]
    context |= {
        "page": page,
        "rows": rows,
        "filters": filters,
        "querystring": params.urlencode(),
        "filtered": form.is_bound,
    }
    return _private(render(request, "applications/backoffice/queue.html", context))


def _case_context(request: HttpRequest, agency, case: Application, **forms_) -> dict:
    user = request.user
    today = business_days.today()
    calendar = business_days.get_calendar()
    acts = casework.acts_on_case(user, case, today=today)
    files = queries.case_files(case)
    workers = list(queries.assignable_workers(agency))
    context = _layout_context(request, agency) | {
        "case": case,
        "acts": acts,
        "deadline": queries.deadline_of(case, today, calendar),
        "sections": queries.answer_sections(case, files),
        "files": files,
        "timeline": queries.case_timeline(case),
        "notes": queries.case_notes(case),
        "information_requests": queries.information_requests(case),
        "open_request": queries.open_information_request(case),
        "staff_name": queries.staff_display_name,
        "payments": case_payments(case),
    }
    context["assign_form"] = forms_.get("assign_form") or AssignForm(
        initial={"asignada": case.assigned_to_id or ""},
        workers=workers,
        actor=user,
        offer_self=acts.can_assign_to_self,
    )
    context["note_form"] = forms_.get("note_form") or NoteForm()
    context["status_form"] = ExpectedStatusForm(initial={"estado": case.status})
    context["problem"] = forms_.get("problem")
    return context


def _case_page(request: HttpRequest, agency, case: Application, *, status: int = 200, **forms_) -> HttpResponse:
    context = _case_context(request, agency, case, **forms_)
    return _private(render(request, "applications/backoffice/case.html", context, status=status))


def _refused(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("No se pudo completar la acción.")


@login_required
@require_http_methods(["GET", "HEAD"])
def case_detail(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    if case.folio != folio:
        return redirect(_case_url(found, case))
    return _case_page(request, found, case)


@login_required
@require_POST
def take(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    form = ExpectedStatusForm(request.POST)
    expected = form.cleaned_data["estado"] if form.is_valid() else None
    try:
        casework.do_take_for_review(case, request.user, expected_status=expected)
    except (casework.StaleCase, TransitionRefused, casework.CaseworkRefused) as error:
        case.refresh_from_db()
        return _case_page(request, found, case, status=409, problem=_refused(error))
    messages.success(request, _("Tomó la solicitud para revisión."))
    return redirect(_case_url(found, case))


@login_required
@require_POST
def assign(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    offer_self = casework.acts_on_case(request.user, case).can_assign_to_self
    workers = list(queries.assignable_workers(found))
    form = AssignForm(request.POST, workers=workers, actor=request.user, offer_self=offer_self)
    if not form.is_valid():
        return _case_page(request, found, case, status=400, assign_form=form)
    choice = form.cleaned_data["asignar_a"]
    if choice == ME:
        assignee = request.user
    elif choice == NOBODY:
        assignee = None
    else:
        assignee = next(worker for worker in workers if str(worker.pk) == choice)
    try:
        casework.do_assign(case, request.user, assignee, expected_assignee_id=form.expected_assignee_id())
    except (casework.StaleCase, casework.CaseworkRefused) as error:
        case.refresh_from_db()
        fresh = AssignForm(
            initial={"asignada": case.assigned_to_id or "", "asignar_a": choice},
            workers=workers,
            actor=request.user,
            offer_self=offer_self,
        )
        return _case_page(request, found, case, status=409, assign_form=fresh, problem=_refused(error))
    if assignee is None:
        messages.success(request, _("La solicitud quedó sin asignar."))
    else:
        messages.success(request, _("Asignó la solicitud a %(name)s.") % {"name": queries.staff_display_name(assignee)})
    return redirect(_case_url(found, case))


@login_required
@require_POST
def add_note(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, found, case, status=400, note_form=form)
    try:
        casework.do_add_note(case, request.user, form.cleaned_data["nota"])
    except ValidationError as error:
        form.add_error("nota", error)
        return _case_page(request, found, case, status=400, note_form=form)
    messages.success(request, _("Guardó la nota interna."))
    return redirect(_case_url(found, case) + "#notas")


def _act_closed_page(request: HttpRequest, agency, case: Application, act: casework.CaseAct) -> HttpResponse | None:
    """Before showing an act's form: ``PermissionDenied`` (403) without the role; the case page with why (409) when
    the case's state does not allow the act now; ``None`` when the form may be shown."""
    try:
        casework.require_act(request.user, case, act)
    except (TransitionRefused, casework.CaseworkRefused) as error:
        return _case_page(request, agency, case, status=409, problem=_refused(error))
    return None


def _form_page(
    request: HttpRequest, template: str, agency, case: Application, form, *, status: int = 200, **extra
) -> HttpResponse:
    context = _layout_context(request, agency) | {"case": case, "form": form} | extra
    return _private(render(request, template, context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_information(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    """Ask the applicant for missing information (prevención)."""
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    casework.require_role_for(request.user, case, casework.CaseAct.REQUEST_INFORMATION)
    template = "applications/backoffice/request_information.html"
    respond_by = business_days.add_business_days(business_days.today(), casework.prevention_response_days())
    extra: dict[str, Any] = {"respond_by": respond_by, "response_days": casework.prevention_response_days()}
    if request.method != "POST":
        if closed := _act_closed_page(request, found, case, casework.CaseAct.REQUEST_INFORMATION):
            return closed
        form = InformationRequestForm(initial={"estado": case.status})
        return _form_page(request, template, found, case, form, **extra)
    form = InformationRequestForm(request.POST)
    if not form.is_valid():
        return _form_page(request, template, found, case, form, status=400, **extra)
    try:
        casework.do_request_information(
            case, request.user, form.cleaned_data["mensaje"], expected_status=form.cleaned_data["estado"]
        )
    except (casework.StaleCase, TransitionRefused, casework.CaseworkRefused) as error:
        case.refresh_from_db()
        return _form_page(request, template, found, case, form, status=409, problem=_refused(error), **extra)
    messages.success(
        request,
        _("Enviamos la petición de información. El plazo legal quedó suspendido hasta que la persona responda."),
    )
    return redirect(_case_url(found, case))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resolve(request: HttpRequest, agency: str, folio: str) -> HttpResponse:
    """Approve or reject: a form, then a confirmation page that repeats the decision, then the resolution."""
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    casework.require_role_for(request.user, case, casework.CaseAct.REJECT)
    template = "applications/backoffice/resolve.html"
    # Reject is open whenever a resolution is (approving, rejecting or dismissing); approving only without a prevención.
    only_reject = casework.acts_on_case(request.user, case).can_dismiss
    if request.method != "POST":
        if closed := _act_closed_page(request, found, case, casework.CaseAct.REJECT):
            return closed
        form = ResolveForm(initial={"estado": case.status}, only_reject=only_reject)
        return _form_page(request, template, found, case, form, only_reject=only_reject)
    form = ResolveForm(request.POST, only_reject=only_reject)
    if not form.is_valid():
        return _form_page(request, template, found, case, form, status=400, only_reject=only_reject)
    if form.cleaned_data.get("confirmar") != "si" or "cambiar" in request.POST:
        return _form_page(
            request,
            "applications/backoffice/resolve_confirm.html" if "cambiar" not in request.POST else template,
            found,
            case,
            form,
            only_reject=only_reject,
        )
    try:
        casework.do_resolve(
            case,
            request.user,
            form.approved,
            form.cleaned_data["motivos"],
            expected_status=form.cleaned_data["estado"],
        )
    except (casework.StaleCase, TransitionRefused, casework.CaseworkRefused) as error:
        case.refresh_from_db()
        return _form_page(
            request, template, found, case, form, status=409, problem=_refused(error), only_reject=only_reject
        )
    except ValidationError as error:
        form.add_error("motivos", error)
        return _form_page(request, template, found, case, form, status=400, only_reject=only_reject)
    case.refresh_from_db(fields=["status"])
    if case.status == S.PENDING_PAYMENT:
        messages.success(
            request,
            _(
                "Aprobamos la solicitud y pedimos a la persona el pago de derechos. La resolución se emite en cuanto "
                "llegue el pago."
            ),
        )
    else:
        messages.success(request, _("Emitimos la resolución y avisamos a la persona solicitante."))
    return redirect(_case_url(found, case))


@login_required
@require_http_methods(["GET", "HEAD"])
def resolution_pdf(request: HttpRequest, agency: str, folio: str) -> HttpResponseBase:
    found = access.access_backoffice_agency(request.user, agency)
    case = access.access_case(request.user, found, folio)
    if not case.is_resolved:
        raise Http404
    return resolution_pdf_response(case)
