"""The admin's editorial acts on the entities' pages beyond Wagtail's own: the unit's urgent publication (and its
review by a second person), and retiring a page with a reason. The rules are ``actions``' and ``access``'."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import access, actions
from .forms import RetirePageForm, UndoRetirementForm, UrgentPublicationForm
from .models import UrgentPublication
from .publication import PublicationRefused

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse
    from django.http.response import HttpResponseBase
    from wagtail.models import Page


def _errors_into(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _done(form: Any, act: Callable[..., object], *args: Any) -> bool:
    """Run an action that publishes; a refusal (publication checks, a rule) becomes the form's errors, and False."""
    try:
        act(*args)
    except PublicationRefused as refusal:
        form.add_error(None, [refusal.summary, *(str(problem) for problem in refusal.problems)])
        return False
    except ValidationError as error:
        _errors_into(form, error)
        return False
    return True


class _PageFormView(WagtailAdminTemplateMixin, FormView):  # type: ignore[type-arg]
    """A form about one page, answered 400 with the form when refused (nothing saved)."""

    header_icon = "doc-full"
    page: Page

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["page"] = self.page
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return context

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        response.status_code = 400
        return response


class UrgentPublicationView(_PageFormView):
    template_name = "agency_sites/admin/urgent_publication.html"
    page_title = _("Publicación urgente")
    form_class = UrgentPublicationForm

    def dispatch(self, request: HttpRequest, page_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.page = access.access_page_for_urgent_publication(request.user, page_id)
        return super().dispatch(request, page_id, *args, **kwargs)

    def form_valid(self, form: UrgentPublicationForm) -> HttpResponse:
        if not _done(form, actions.do_publish_urgently, self.request.user, self.page, form.cleaned_data["reason"]):
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("«%(title)s» se publicó como urgente. Otra persona de la unidad debe revisarla.")
            % {"title": self.page.title},
        )
        return redirect("agency_sites_urgent_list")


class UrgentPublicationListView(WagtailAdminTemplateMixin, TemplateView):
    """The urgent publications still to review by a second person, and the latest reviewed."""

    template_name = "agency_sites/admin/urgent_publications.html"
    page_title = _("Publicaciones urgentes")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        access.access_urgent_publications(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        publications = UrgentPublication.objects.select_related("page", "published_by", "reviewed_by")
        context["flagged"] = publications.filter(reviewed_at__isnull=True)
        context["reviewed"] = publications.filter(reviewed_at__isnull=False)[:20]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        publication = access.access_urgent_publication(request.user, int(request.POST.get("publication") or 0))
        try:
            actions.do_review_urgent_publication(request.user, publication)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            response = self.get(request, *args, **kwargs)
            response.status_code = 400
            return response
        messages.success(request, _("Publicación urgente marcada como revisada."))
        return redirect("agency_sites_urgent_list")


class RetirePageView(_PageFormView):
    template_name = "agency_sites/admin/retire_page.html"
    page_title = _("Retirar página")
    form_class = RetirePageForm

    def dispatch(self, request: HttpRequest, page_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.page = access.access_page_to_retire(request.user, page_id)
        return super().dispatch(request, page_id, *args, **kwargs)

    def form_valid(self, form: RetirePageForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            actions.do_retire_page(self.request.user, self.page, data["kind"], data["reason"], data.get("moved_to"))
        except ValidationError as error:
            _errors_into(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("«%(title)s» fue retirada.") % {"title": self.page.title})
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)


class UndoRetirementView(_PageFormView):
    template_name = "agency_sites/admin/undo_retirement.html"
    page_title = _("Deshacer el retiro")
    form_class = UndoRetirementForm

    def dispatch(self, request: HttpRequest, page_id: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.page, self.retirement = access.access_retired_page(request.user, page_id)
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["retirement"] = self.retirement
        return context

    def form_valid(self, form: UndoRetirementForm) -> HttpResponse:
        if not _done(form, actions.do_undo_retirement, self.request.user, self.page, form.cleaned_data["reason"]):
            return self.form_invalid(form)
        messages.success(self.request, _("«%(title)s» está otra vez en línea.") % {"title": self.page.title})
        return redirect("wagtailadmin_explore", self.page.get_parent().pk)


urlpatterns = [
    path("sitios/publicacion-urgente/<int:page_id>/", UrgentPublicationView.as_view(), name="agency_sites_urgent"),
    path("sitios/publicaciones-urgentes/", UrgentPublicationListView.as_view(), name="agency_sites_urgent_list"),
    path("sitios/retirar/<int:page_id>/", RetirePageView.as_view(), name="agency_sites_retire"),
    path("sitios/deshacer-retiro/<int:page_id>/", UndoRetirementView.as_view(), name="agency_sites_undo_retirement"),
]
