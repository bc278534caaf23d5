"""Recording a rename or a merger from an entity's page in the admin: portal administrators only, with a step that
says what will move before anything does (docs/agency-sites.md, «Cambios de estructura»)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import access, actions, queries
from .models import Agency

DATE_HELP = _("Día/mes/año, por ejemplo 01/12/2018.")
DATE_ERRORS = {
    "required": _("Escriba la fecha en que surtió efecto."),
    "invalid": _("Escriba la fecha como 01/12/2018."),
}


def _date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Fecha en que surtió efecto"),
        help_text=DATE_HELP,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=DATE_ERRORS,
    )


class RenameForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre nuevo"), max_length=200, error_messages={"required": _("Escriba el nombre nuevo.")}
    )
    acronym = forms.CharField(
        label=_("Siglas nuevas"),
        max_length=12,
        help_text=_("Pueden ser las mismas. Las homoclaves de sus trámites no cambian."),
        error_messages={"required": _("Escriba las siglas (pueden ser las mismas).")},
    )
    slug = forms.CharField(
        label=_("Dirección nueva del sitio"),
        max_length=80,
        help_text=_("Sin barras, por ejemplo bienestar. La dirección anterior seguirá llevando a las páginas."),
        error_messages={"required": _("Escriba la dirección (puede ser la misma).")},
    )
    effective = _date_field()
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Decreto, DOF…")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            actions.check_rename(
                self.agency,
                name=cleaned["name"].strip(),
                acronym=cleaned["acronym"].strip(),
                slug=cleaned["slug"].strip(),
                effective=cleaned["effective"],
            )
        except ValidationError as error:
            _add_errors(self, error)
        return cleaned

    def plan(self) -> list[str]:
        data = self.cleaned_data
        return [
            str(_("El nombre pasa de «%(old)s» a «%(new)s».") % {"old": self.agency.name, "new": data["name"]}),
            str(
                _("El sitio se mueve de /%(old)s/ a /%(new)s/; las direcciones anteriores redirigen a las nuevas.")
                % {"old": self.agency.slug, "new": data["slug"]}
            ),
            str(
                _("Las páginas publicadas antes del %(date)s dirán «Publicado por %(old)s (%(acronym)s), hoy %(new)s».")
                % {
                    "date": data["effective"].strftime("%d/%m/%Y"),
                    "old": self.agency.name,
                    "acronym": self.agency.acronym,
                    "new": data["name"],
                }
            ),
        ]


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Institución que la absorbe"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": _("Elija la institución que la absorbe."),
            "invalid_choice": _("Elija una institución vigente de la lista."),
        },
    )
    effective = _date_field()
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Decreto, DOF…")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        into = self.fields["into"]
        assert isinstance(into, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        into.queryset = queries.active_agencies().exclude(pk=agency.pk).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            actions.check_merge(self.agency, cleaned["into"], effective=cleaned["effective"])
        except ValidationError as error:
            _add_errors(self, error)
        return cleaned

    def plan(self) -> list[str]:
        into = self.cleaned_data["into"]
        moved = ", ".join(queries.merge_plan(self.agency, into))
        return [
            str(_("Se moverán a %(into)s: %(moved)s.") % {"into": into.name, "moved": moved}),
            str(
                _("%(acronym)s dejará de estar vigente; /%(slug)s/ y sus páginas redirigirán a %(into)s.")
                % {"acronym": self.agency.acronym, "slug": self.agency.slug, "into": into.acronym}
            ),
        ]


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AgencyChangeView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the form. POST: the confirmation (what will move), then, with ``confirmar``, the change itself."""

    template_name = "agencies/admin/agency_change.html"
    header_icon = "site"
    form_class: type[RenameForm] | type[MergeForm]
    submit_label: Any

    def dispatch(self, request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponseBase:
        if not access.check_is_portal_admin(request.user):
            raise PermissionDenied
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise Http404
        self.agency = agency
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.agency.name)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("agencies_agency:index"), "label": _("Instituciones")},
            {"url": reverse("agencies_agency:edit", args=[self.agency.pk]), "label": self.agency.acronym},
            {"url": "", "label": self.get_page_title()},
        ]

    def _render(self, request: HttpRequest, form: forms.Form, *, confirm: bool, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            agency=self.agency,
            form=form,
            confirm=confirm,
            plan=form.plan() if confirm else [],  # type: ignore[attr-defined]
            submit_label=self.submit_label,
            action_url=request.path,
            edit_url=reverse("agencies_agency:edit", args=[self.agency.pk]),
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        if self.form_class is RenameForm:
            initial = {"name": self.agency.name, "acronym": self.agency.acronym, "slug": self.agency.slug}
        return self._render(request, self.form_class(agency=self.agency, initial=initial), confirm=False)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST, agency=self.agency)
        if not form.is_valid():
            return self._render(request, form, confirm=False, status=400)
        if "confirmar" not in request.POST:
            return self._render(request, form, confirm=True)
        try:
            target = self.perform(request, form.cleaned_data)
        except ValidationError as error:  # the entity changed between the two steps
            _add_errors(form, error)
            return self._render(request, form, confirm=False, status=400)
        return redirect("agencies_agency:edit", target.pk)

    def perform(self, request: HttpRequest, data: dict[str, Any]) -> Agency:
        """The recorded change itself: each of the two views (rename, merge) calls its action here."""
        raise NotImplementedError  # abstract: AgencyRenameView and AgencyMergeView implement it


class AgencyRenameView(AgencyChangeView):
    form_class = RenameForm
    page_title = _("Cambiar nombre o dirección")
    submit_label = _("Revisar el cambio")

    def perform(self, request: HttpRequest, data: dict[str, Any]) -> Agency:
        change = actions.do_rename_agency(
            self.agency,
            name=data["name"].strip(),
            acronym=data["acronym"].strip(),
            slug=data["slug"].strip(),
            effective=data["effective"],
            by=request.user,  # type: ignore[arg-type]
            note=data["note"],
        )
        _success(
            request,
            _("Cambio registrado: %(old)s es ahora %(new)s.") % {"old": change.before_name, "new": change.agency.name},
        )
        return change.agency


class AgencyMergeView(AgencyChangeView):
    form_class = MergeForm
    page_title = _("Fusionar en otra institución")
    submit_label = _("Revisar la fusión")

    def perform(self, request: HttpRequest, data: dict[str, Any]) -> Agency:
        change = actions.do_merge_agency(
            self.agency,
            data["into"],
            effective=data["effective"],
            by=request.user,  # type: ignore[arg-type]
            note=data["note"],
        )
        _success(
            request,
            _("Fusión registrada: %(absorbed)s forma parte de %(into)s.")
            % {"absorbed": change.before_acronym, "into": change.agency.name},
        )
        return change.agency


def _success(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def change_urls() -> list[Any]:
    """The two views at ``/admin/instituciones/<pk>/renombrar/`` and ``…/fusionar/`` (AgencyViewSet adds them)."""
    return [
        path("<int:pk>/renombrar/", AgencyRenameView.as_view(), name="rename"),
        path("<int:pk>/fusionar/", AgencyMergeView.as_view(), name="merge"),
    ]
