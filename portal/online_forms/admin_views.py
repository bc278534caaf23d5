"""The online-form editor in the Wagtail admin: «Formularios en línea».

Editors and approvers of an entity see its services; every view takes the service id from the URL and asks
``access_service_form`` first, so a guessed id of another entity's service is a 404 exactly like a missing one. The
editor is structured (Wagtail blocks used as a form, ``blocks.py``, converted by ``builder.py``), with the JSON text
area kept as «Edición avanzada (JSON)»; both list the validator's problems beside them, and a preview renders the
pages as the citizen sees them; saving records a version (who, when, what changed), publishing is for approvers (or editors of an
entity without approvers) and refuses a definition with problems.
"""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.blocks import BlockField

from portal.accounts.models import AssuranceLevel

from . import access, actions, logic
from .blocks import exits_block, pages_block
from .builder import Unrepresentable, blocks_to_schema, schema_to_blocks
from .fields import build_page_form, is_file_question
from .models import FormDefinition
from .schema import validate_definition

if TYPE_CHECKING:
    # What the mixins below are mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object


class SchemaForm(forms.Form):
    schema = forms.CharField(
        label=_("Definición (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "app-json-editor"}),
        help_text=_("El formato está descrito en la documentación («Form definition format»)."),
        error_messages={"required": _("Escriba la definición del formulario.")},
    )
    note = forms.CharField(
        label=_("Qué cambió"),
        max_length=300,
        required=False,
        help_text=_("Una frase para el historial de versiones."),
    )

    def clean_schema(self) -> dict:
        text = self.cleaned_data["schema"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("No es JSON válido (línea %(line)s, columna %(column)s): %(message)s. No se guardó nada.")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ) from None
        if not isinstance(value, dict):
            raise ValidationError(_("La definición debe ser un objeto JSON: empieza con «{»."))
        return value


NOTE_FIELD = forms.CharField(
    label=_("Qué cambió"),
    max_length=300,
    required=False,
    help_text=_("Una frase para el historial de versiones."),
)


class BuilderForm(forms.Form):
    """The structured editor: the definition's pages and exits as blocks. ``schema()`` gives the definition JSON."""

    pages = BlockField(block=pages_block(), label=_("Páginas"), required=False)
    exits = BlockField(block=exits_block(), label=_("Páginas de salida"), required=False)
    note = NOTE_FIELD

    @classmethod
    def initial_for(cls, schema: dict) -> dict:
        """Raises ``Unrepresentable`` when the definition says something these blocks cannot hold."""
        raw = schema_to_blocks(schema)
        initial = {}
        for name in ("pages", "exits"):
            block = cast(BlockField, cls.base_fields[name]).block
            # Through get_prep_value once so that every block gets an id: the editor's script uses them for the
            # elements' ids, which would otherwise all be «block-null-…».
            initial[name] = block.to_python(block.get_prep_value(block.to_python(raw[name])))
        return initial

    def schema(self) -> dict:
        pages = cast(BlockField, self.fields["pages"]).block.get_prep_value(self.cleaned_data["pages"])
        exits = cast(BlockField, self.fields["exits"]).block.get_prep_value(self.cleaned_data["exits"])
        return blocks_to_schema(pages, exits)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = FormDefinition
        fields = ["required_assurance", "accepting", "draft_retention_days"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["required_assurance"]).choices = [
            (AssuranceLevel.BASIC, AssuranceLevel.BASIC.label),
            (AssuranceLevel.VERIFIED, AssuranceLevel.VERIFIED.label),
        ]
        retention = cast(forms.IntegerField, self.fields["draft_retention_days"])
        retention.min_value = 1
        retention.max_value = actions.MAX_RETENTION_DAYS


class ServiceFormMixin(_AdminView):
    """Resolves the service from the URL through the access check; adds breadcrumbs and common context."""

    header_icon = "form"

    def dispatch(self, request: HttpRequest, service_id: int, *args, **kwargs) -> HttpResponse:
        self.service = access.access_service_form(request.user, service_id)
        self.definition = actions.do_get_or_create_definition(self.service, request.user)
        return super().dispatch(request, service_id, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.service.homoclave} · {self.service.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("applications_forms:index"), "label": _("Formularios en línea")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            service=self.service,
            definition=self.definition,
            can_publish=access.check_can_publish_forms(self.request.user, self.service.agency),
            tabs=_tabs(self.service, self.request.resolver_match.url_name),
        )
        return context


def _tabs(service, current: str) -> list[dict]:
    items = [
        ("edit", _("Definición")),
        ("edit_json", _("Edición avanzada (JSON)")),
        ("preview", _("Vista previa")),
        ("versions", _("Versiones")),
        ("settings", _("Configuración")),
    ]
    return [
        {
            "url": reverse(f"applications_forms:{name}", args=[service.pk]),
            "label": label,
            "current": name == current,
        }
        for name, label in items
    ]


class FormIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "online_forms/admin/forms_index.html"
    page_title = _("Formularios en línea")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not access.editable_services(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services = access.editable_services(self.request.user).select_related("form_definition__live_version")
        query = self.request.GET.get("q", "").strip()
        if query:
            services = services.filter(title__icontains=query) | services.filter(homoclave__icontains=query)
        page = Paginator(services, 50).get_page(self.request.GET.get("p"))
        context.update(page=page, query=query)
        return context


class SaveVersionMixin(_AdminView):
    """Shared by both editors: the status of the copy, its problems, and saving it as a version."""

    definition: FormDefinition  # Set by ServiceFormMixin.dispatch (with ``service``), which the views mix in first.

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["problems"] = kwargs.get("problems", validate_definition(self.definition.working_schema))
        context["live_version"] = self.definition.live_version
        context["latest_version"] = self.definition.versions.order_by("-number").first()
        return context

    def save_version(self, schema: dict, note: str) -> HttpResponse:
        version = actions.do_save_working_copy(self.definition, schema, self.request.user, note)
        problems = validate_definition(schema)
        if problems:
            messages.warning(
                self.request,
                _("Se guardó la versión %(number)d, pero tiene %(count)d problemas: corríjalos antes de publicar.")
                % {"number": version.number, "count": len(problems)},
            )
        else:
            messages.success(self.request, _("Se guardó la versión %(number)d.") % {"number": version.number})
        return redirect(self.request.resolver_match.view_name, self.service.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("No se guardó: corrija lo que se indica."))
        response = self.render_to_response(self.get_context_data(form=form, problems=[]))
        response.status_code = 400
        return response


class FormEditView(ServiceFormMixin, SaveVersionMixin, WagtailAdminTemplateMixin, FormView):
    """The structured editor. A definition it cannot hold (``builder.Unrepresentable``) is shown with the reason
    and a link to the JSON editor instead of a form, so saving from here can never drop part of it."""

    template_name = "online_forms/admin/form_edit.html"
    page_title = _("Formulario en línea")
    form_class = BuilderForm

    def get(self, request, *args, **kwargs):
        try:
            self.initial = BuilderForm.initial_for(self.definition.working_schema)
        except Unrepresentable as error:
            return self.render_to_response(self.get_context_data(form=None, unrepresentable=str(error)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["media"] = form.media if form is not None else forms.Media()
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        try:
            valid = form.is_valid()
        except (KeyError, ValueError, TypeError):
            # The blocks' fields arrive from the editor's script; a request that lost some is not a server error.
            messages.error(request, _("El formulario llegó incompleto; no se guardó nada. Vuelva a cargar la página."))
            response = self.render_to_response(self.get_context_data(form=None, problems=[]))
            response.status_code = 400
            return response
        return self.form_valid(form) if valid else self.form_invalid(form)

    def form_valid(self, form):
        return self.save_version(form.schema(), form.cleaned_data["note"])


class FormJsonView(ServiceFormMixin, SaveVersionMixin, WagtailAdminTemplateMixin, FormView):
    """«Edición avanzada (JSON)»: the definition as text, for people who know the format; always available."""

    template_name = "online_forms/admin/form_edit_json.html"
    page_title = _("Formulario en línea: edición avanzada")
    form_class = SchemaForm

    def get_initial(self):
        return {"schema": json.dumps(self.definition.working_schema, ensure_ascii=False, indent=2)}

    def form_valid(self, form):
        return self.save_version(form.cleaned_data["schema"], form.cleaned_data["note"])


class FormPublishView(ServiceFormMixin, WagtailAdminTemplateMixin, TemplateView):
    """POST only: publish the working copy."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            version = actions.do_publish_working_copy(self.definition, request.user)
        except PermissionDenied:
            messages.error(request, _("Usted no puede publicar formularios: pida a quien aprueba en su institución."))
            return redirect("applications_forms:edit", self.service.pk)
        except ValidationError as error:
            messages.error(
                request,
                _("No se publicó: la definición tiene %(count)d problemas (vea la lista).")
                % {"count": len(error.messages)},
            )
            return redirect("applications_forms:edit", self.service.pk)
        messages.success(
            request,
            _("Se publicó la versión %(number)d; las solicitudes nuevas la usan desde ahora.")
            % {"number": version.number},
        )
        return redirect("applications_forms:edit", self.service.pk)


class FormVersionsView(ServiceFormMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "online_forms/admin/form_versions.html"
    page_title = _("Versiones del formulario")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.definition.versions.select_related("created_by", "published_by").order_by("-number"))
        context["versions"] = versions
        old_number, new_number = self.request.GET.get("de"), self.request.GET.get("a")
        if old_number and new_number:
            old = access.access_form_version(self.request.user, self.service, old_number)
            new = access.access_form_version(self.request.user, self.service, new_number)
            context["compare"] = {"old": old, "new": new, "lines": schema_diff(old.schema, new.schema)}
        return context


def schema_diff(old: dict, new: dict) -> list[tuple[str, str]]:
    """A line diff of two schemas as pretty JSON: (kind, text) with kind «add», «remove» or «same»."""
    old_lines = json.dumps(old, ensure_ascii=False, indent=2).splitlines()
    new_lines = json.dumps(new, ensure_ascii=False, indent=2).splitlines()
    result = []
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            result.append(("hunk", "…"))
        elif line.startswith("+"):
            result.append(("add", line[1:]))
        elif line.startswith("-"):
            result.append(("remove", line[1:]))
        else:
            result.append(("same", line[1:]))
    return result


class FormRestoreView(ServiceFormMixin, WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, service_id: int, number: int, *args, **kwargs) -> HttpResponse:
        version = access.access_form_version(request.user, self.service, number)
        restored = actions.do_restore_version(self.definition, version, request.user)
        messages.success(
            request,
            _("La versión %(old)d es otra vez la copia en edición (guardada como versión %(new)d).")
            % {"old": version.number, "new": restored.number},
        )
        return redirect("applications_forms:edit", self.service.pk)


class FormSettingsView(ServiceFormMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "online_forms/admin/form_settings.html"
    page_title = _("Configuración del formulario")
    form_class = SettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.definition}

    def form_valid(self, form):
        try:
            actions.do_update_form_settings(self.definition, self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("draft_retention_days", error)
            return self.form_invalid(form)
        messages.success(self.request, _("Configuración guardada."))
        return redirect("applications_forms:settings", self.service.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("No se guardó la configuración: corrija lo que se indica."))
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class FormPreviewView(ServiceFormMixin, TemplateView):
    """The working copy's pages as a citizen sees them (GOV.UK pages, not the admin), with empty answers."""

    template_name = "online_forms/admin/form_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schema = self.definition.working_schema
        problems = validate_definition(schema)
        context["problems"] = problems
        pages = []
        if not problems:
            for page in schema["pages"]:
                form = build_page_form(page, schema, {})
                items = [
                    {"question": question, "field": form[question["id"]], "file": is_file_question(question)}
                    for question in form.questions
                ]
                pages.append({"page": page, "items": items, "rules": page.get("next", [])})
        context["pages"] = pages
        context["exits"] = schema.get("exits", []) if not problems else []
        context["first_page"] = logic.first_page(schema, {}) if not problems else None
        return context

    def get_breadcrumbs_items(self):  # rendered outside the admin chrome
        return []

    def get_page_title(self):
        return _("Vista previa")


class FormsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.editable_services(request.user).exists()


class FormsViewSet(ViewSet):
    name = "formularios"
    url_prefix = "formularios-en-linea"
    url_namespace = "applications_forms"
    icon = "form"
    menu_label = _("Formularios en línea")
    menu_item_class = FormsMenuItem
    add_to_admin_menu = True
    menu_order = 230

    def get_urlpatterns(self):
        return [
            path("", FormIndexView.as_view(), name="index"),
            path("<int:service_id>/", FormEditView.as_view(), name="edit"),
            path("<int:service_id>/json/", FormJsonView.as_view(), name="edit_json"),
            path("<int:service_id>/publicar/", FormPublishView.as_view(), name="publish"),
            path("<int:service_id>/versiones/", FormVersionsView.as_view(), name="versions"),
            path("<int:service_id>/versiones/<int:number>/restaurar/", FormRestoreView.as_view(), name="restore"),
            path("<int:service_id>/configuracion/", FormSettingsView.as_view(), name="settings"),
            path("<int:service_id>/vista-previa/", FormPreviewView.as_view(), name="preview"),
        ]

    @cached_property
    def menu_url(self):
        return reverse("applications_forms:index")
