"""Pages of the registry of participation bodies. Thin: they check access (``access``), read (``queries``) and call
``actions``.

The public pages and downloads are open to anyone and cacheable; the staff's pages are private and never cached. Bad
input answers 400 with the form and what was typed; a body the person may not keep answers 404 whatever the reason.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.applications.actions.files import UploadRejected, inspect_upload, private_file_response
from portal.core.spreadsheets import csv_response

from . import access, actions, queries
from .forms import (
    AgreementForm,
    AgreementUpdateForm,
    BodyForm,
    DocumentForm,
    EndTermForm,
    MemberForm,
    RegistryFilterForm,
    SessionForm,
    SessionStatusForm,
)
from .models import Body, BodySession

_Response = TypeVar("_Response", bound=HttpResponseBase)
PAGE_SIZE = 20
STAFF_PAGE_SIZE = 50


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _add_errors(form: Any, error: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put an action's refusal on the form: on the field it names (mapped to the form's names), else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = (fields or {}).get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Public -----------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def registry(request: HttpRequest) -> HttpResponse:
    """The registry: by entity, kind and scope; bodies in office first; 20 a page."""
    form = RegistryFilterForm(request.GET or None)
    agency, kind, scope, code = None, "", "", 200
    if form.is_bound:
        if form.is_valid():
            agency = form.cleaned_data["institucion"]
            kind = form.cleaned_data["tipo"]
            scope = form.cleaned_data["ambito"]
        else:
            code = 400
    page = Paginator(queries.registry(agency, kind, scope), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = {
        key: value
        for key, value in (("institucion", agency.acronym if agency else ""), ("tipo", kind), ("ambito", scope))
        if value
    }
    context = {"form": form, "page": page, "querystring": urlencode(query)}
    return render(request, "participation/bodies/registry.html", context, status=code)


@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = access.access_public_body(slug)
    today = actions.today()
    context = {
        "body": body,
        "members": queries.members_in_office(body, today),
        "past_members": queries.past_members(body, today),
        "sessions": queries.sessions(body),
        "agreements": queries.body_agreements(body),
        "can_keep": access.check_can_keep(request.user, body.agency),
    }
    response = render(request, "participation/bodies/detail.html", context)
    return _private(response) if request.user.is_authenticated else response


@require_http_methods(["GET", "HEAD"])
def session(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    found = access.access_public_session(slug, number)
    context = {
        "body": found.body,
        "session": found,
        "documents": queries.session_documents(found),
        "agreements": queries.session_agreements(found),
    }
    return render(request, "participation/bodies/session.html", context)


@require_http_methods(["GET", "HEAD"])
def document(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """A session's PDF, for anyone: a public record, served as a download like every stored file."""
    found = access.access_document(public_id)
    response = private_file_response(found.storage_name, found.content_type, found.original_name)
    # A public record, unlike a citizen's file: shared caches may keep it (it never changes once published).
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# --- Open data --------------------------------------------------------------------------------------------------------


def _json(key: str, rows: list[dict[str, Any]]) -> JsonResponse:
    response = JsonResponse({key: rows}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "HEAD"])
def data_csv(request: HttpRequest) -> HttpResponseBase:
    records = queries.body_records(actions.today())
    rows = ([record[name] for name in queries.BODY_FIELDS] for record in records)
    return csv_response("mecanismos.csv", queries.BODY_FIELDS, rows)


@require_http_methods(["GET", "HEAD"])
def data_json(request: HttpRequest) -> JsonResponse:
    return _json("mecanismos", list(queries.body_records(actions.today())))


@require_http_methods(["GET", "HEAD"])
def agreements_csv(request: HttpRequest) -> HttpResponseBase:
    rows = ([record[name] for name in queries.AGREEMENT_FIELDS] for record in queries.agreement_records())
    return csv_response("acuerdos.csv", queries.AGREEMENT_FIELDS, rows)


@require_http_methods(["GET", "HEAD"])
def agreements_json(request: HttpRequest) -> JsonResponse:
    return _json("acuerdos", list(queries.agreement_records()))


# --- Staff: bodies ----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_list(request: HttpRequest) -> HttpResponseBase:
    agencies = access.access_staff(request.user)
    bodies = queries.registry().filter(agency__in=agencies)
    page = Paginator(bodies, STAFF_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {"page": page, "querystring": "", "agencies": list(agencies[:5]), "many": agencies.count() > 5}
    return _private(render(request, "participation/bodies/staff_list.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_new(request: HttpRequest) -> HttpResponseBase:
    agencies = access.access_staff(request.user)
    template = "participation/bodies/body_form.html"
    if request.method != "POST":
        form = BodyForm(agencies=agencies, initial={"institucion": agencies.first()} if agencies.count() == 1 else None)
        return _private(render(request, template, {"form": form}))
    form = BodyForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return _private(render(request, template, {"form": form}, status=400))
    try:
        body = actions.do_create_body(request.user, form.cleaned_data["institucion"], form.body_fields())
    except ValidationError as error:
        _add_errors(form, error, _BODY_ERRORS)
        return _private(render(request, template, {"form": form}, status=400))
    messages.success(request, _("Se registró el mecanismo «%(name)s».") % {"name": body.name})
    return redirect("participation:body_manage", slug=body.slug)


# The action's field names → the form's, to put a refusal next to its field.
_BODY_ERRORS = {
    "name": "nombre",
    "kind": "tipo",
    "purpose": "objeto",
    "legal_basis": "fundamento",
    "legal_basis_url": "fundamento_url",
    "how_to_take_part": "como_participar",
    "contact_email": "correo",
    "scope": "ambito",
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    body = access.access_staff_body(request.user, slug)
    template = "participation/bodies/body_form.html"
    if request.method != "POST":
        form = BodyForm(editing=True, initial=BodyForm.initial_from(body))
        return _private(render(request, template, {"form": form, "body": body}))
    form = BodyForm(request.POST, editing=True)
    if not form.is_valid():
        return _private(render(request, template, {"form": form, "body": body}, status=400))
    try:
        actions.do_update_body(body, request.user, form.body_fields())
    except ValidationError as error:
        _add_errors(form, error, _BODY_ERRORS)
        return _private(render(request, template, {"form": form, "body": body}, status=400))
    messages.success(request, _("Se guardaron los datos del mecanismo."))
    return redirect("participation:body_manage", slug=body.slug)


def _body_page(
    request: HttpRequest,
    body: Body,
    *,
    member_form: MemberForm | None = None,
    session_form: SessionForm | None = None,
    end_form: EndTermForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    members = list(body.members.order_by("term_end", "term_start", "name"))
    end_forms = [
        (
            member,
            end_form if end_form is not None and end_form.prefix == f"fin-{member.pk}" else EndTermForm(member=member),
        )
        for member in members
    ]
    context = {
        "body": body,
        "end_forms": end_forms,
        "sessions": queries.sessions(body),
        "member_form": member_form or MemberForm(),
        "session_form": session_form or SessionForm(),
        "errors": [form for form in (member_form, session_form, end_form) if form is not None and form.errors],
        "events": list(body.events.order_by("-created_at", "-pk")[:20]),
    }
    return _private(render(request, "participation/bodies/staff_body.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_body(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _body_page(request, access.access_staff_body(request.user, slug))


@login_required
@require_POST
def staff_add_member(request: HttpRequest, slug: str) -> HttpResponseBase:
    body = access.access_staff_body(request.user, slug)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _body_page(request, body, member_form=form, status=400)
    data = form.cleaned_data
    try:
        member = actions.do_add_member(
            body,
            request.user,
            name=data["nombre"],
            role=data["cargo"],
            sector=data["sector"],
            term_start=data["inicio"],
            term_end=data["fin"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _body_page(request, body, member_form=form, status=400)
    messages.success(request, _("Se registró a %(name)s.") % {"name": member.name})
    return redirect("participation:body_manage", slug=body.slug)


@login_required
@require_POST
def staff_end_term(request: HttpRequest, slug: str, member_id: int) -> HttpResponseBase:
    body = access.access_staff_body(request.user, slug)
    member = access.access_staff_member(request.user, body, member_id)
    form = EndTermForm(request.POST, member=member)
    if not form.is_valid():
        return _body_page(request, body, end_form=form, status=400)
    try:
        actions.do_end_term(member, request.user, form.cleaned_data["fin"])
    except actions.BodyRefused as error:
        form.add_error(None, error)
        return _body_page(request, body, end_form=form, status=409)
    except ValidationError as error:
        form.add_error("fin", error)
        return _body_page(request, body, end_form=form, status=400)
    messages.success(request, _("Se registró el fin del cargo de %(name)s.") % {"name": member.name})
    return redirect("participation:body_manage", slug=body.slug)


@login_required
@require_POST
def staff_add_session(request: HttpRequest, slug: str) -> HttpResponseBase:
    body = access.access_staff_body(request.user, slug)
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _body_page(request, body, session_form=form, status=400)
    data = form.cleaned_data
    try:
        created = actions.do_add_session(
            body,
            request.user,
            kind=data["tipo"],
            date=data["fecha"],
            place=data["lugar"],
            agenda=data["orden"],
            status=data["estado"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _body_page(request, body, session_form=form, status=400)
    messages.success(request, _("Se registró la sesión %(number)s.") % {"number": created.number})
    return redirect("participation:body_session_manage", slug=body.slug, number=created.number)


# --- Staff: a session -------------------------------------------------------------------------------------------------


def _session_page(
    request: HttpRequest,
    found: BodySession,
    *,
    status_form: SessionStatusForm | None = None,
    document_form: DocumentForm | None = None,
    agreement_form: AgreementForm | None = None,
    update_form: AgreementUpdateForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    agreements = queries.session_agreements(found)
    update_forms = [
        (
            agreement,
            update_form
            if update_form is not None and update_form.prefix == f"seguimiento-{agreement.pk}"
            else AgreementUpdateForm(agreement=agreement),
        )
        for agreement in agreements
    ]
    forms = (status_form, document_form, agreement_form, update_form)
    context = {
        "body": found.body,
        "session": found,
        "documents": queries.session_documents(found),
        "update_forms": update_forms,
        "status_form": status_form or SessionStatusForm(initial={"estado": found.status}),
        "document_form": document_form or DocumentForm(),
        "agreement_form": agreement_form or AgreementForm(),
        "errors": [form for form in forms if form is not None and form.errors],
    }
    return _private(render(request, "participation/bodies/staff_session.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD"])
def staff_session(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    return _session_page(request, access.access_staff_session(request.user, slug, number))


@login_required
@require_POST
def staff_session_status(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    found = access.access_staff_session(request.user, slug, number)
    form = SessionStatusForm(request.POST)
    if not form.is_valid():
        return _session_page(request, found, status_form=form, status=400)
    try:
        actions.do_set_session_status(found, request.user, form.cleaned_data["estado"])
    except ValidationError as error:
        form.add_error("estado", error)
        return _session_page(request, found, status_form=form, status=400)
    messages.success(request, _("Se guardó el estado de la sesión."))
    return redirect("participation:body_session_manage", slug=slug, number=number)


@login_required
@require_POST
def staff_add_document(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    found = access.access_staff_session(request.user, slug, number)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _session_page(request, found, document_form=form, status=400)
    try:
        clean = actions.check_document_file(inspect_upload(form.cleaned_data["archivo"]))
        actions.do_add_document(
            found, request.user, kind=form.cleaned_data["tipo"], title=form.cleaned_data["titulo"], clean=clean
        )
    except (UploadRejected, ValidationError) as error:
        form.add_error("archivo", error.messages)
        return _session_page(request, found, document_form=form, status=400)
    messages.success(request, _("Se publicó el documento."))
    return redirect("participation:body_session_manage", slug=slug, number=number)


@login_required
@require_POST
def staff_add_agreement(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    found = access.access_staff_session(request.user, slug, number)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _session_page(request, found, agreement_form=form, status=400)
    data = form.cleaned_data
    try:
        agreement = actions.do_add_agreement(
            found,
            request.user,
            code=data["clave"],
            text=data["texto"],
            responsible=data["responsable"],
            due_date=data["fecha_compromiso"],
        )
    except ValidationError as error:
        _add_errors(form, error, {"code": "clave"})
        return _session_page(request, found, agreement_form=form, status=400)
    messages.success(request, _("Se registró el acuerdo %(code)s.") % {"code": agreement.code})
    return redirect("participation:body_session_manage", slug=slug, number=number)


@login_required
@require_POST
def staff_update_agreement(request: HttpRequest, slug: str, number: int, agreement_id: int) -> HttpResponseBase:
    found = access.access_staff_session(request.user, slug, number)
    agreement = access.access_staff_agreement(request.user, found, agreement_id)
    form = AgreementUpdateForm(request.POST, agreement=agreement)
    if not form.is_valid():
        return _session_page(request, found, update_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.do_update_agreement(
            agreement, request.user, status=data["estado"], note=data["nota"], date=data["fecha"]
        )
    except actions.BodyRefused as error:
        form.add_error(None, error)
        return _session_page(request, found, update_form=form, status=409)
    except ValidationError as error:
        _add_errors(form, error, {"date": "fecha"})
        return _session_page(request, found, update_form=form, status=400)
    messages.success(request, _("Se registró el seguimiento del acuerdo %(code)s.") % {"code": agreement.code})
    return redirect("participation:body_session_manage", slug=slug, number=number)
