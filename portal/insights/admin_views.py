"""«Visitas» in the Wagtail admin (docs/insights.md, «Los tableros»): the whole portal for its administrators, each
entity's figures for its own staff. Thin: who sees what is ``access``; the figures are ``queries``."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import access, charts, feedback, queries
from .recording import local_day

if TYPE_CHECKING:
    # What the mixin below is mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object


def _period_choices() -> list[tuple[str, str]]:
    return [(str(days), _("Últimos %(days)s días") % {"days": days}) for days in queries.PERIODS]


class PeriodForm(forms.Form):
    periodo = forms.TypedChoiceField(
        label=gettext_lazy("Periodo"),
        choices=_period_choices,
        coerce=int,
        initial="30",
        error_messages={"invalid_choice": gettext_lazy("Elija un periodo de la lista: 7, 30 o 90 días.")},
    )


class VisitsMixin(_AdminView):
    """Resolve the scope named in the URL: an entity (404 outside the user's) or the whole portal (403 but for its
    administrators)."""

    agency: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "agency_id" in kwargs:
            self.agency = access.access_agency_figures(request.user, kwargs["agency_id"])
        elif not access.check_can_see_portal(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    @cached_property
    def period_form(self) -> PeriodForm:
        data = self.request.GET if "periodo" in self.request.GET else {"periodo": "30"}
        return PeriodForm(data)

    def search_urls(self) -> tuple[str, str]:
        if self.agency is None:
            return reverse("insights_visits:portal_searches"), reverse("insights_visits:portal_searches_csv")
        return (
            reverse("insights_visits:agency_searches", args=[self.agency.pk]),
            reverse("insights_visits:agency_searches_csv", args=[self.agency.pk]),
        )

    def scope_urls(self) -> tuple[str, str]:
        if self.agency is None:
            return reverse("insights_visits:portal"), reverse("insights_visits:portal_csv")
        return (
            reverse("insights_visits:agency", args=[self.agency.pk]),
            reverse("insights_visits:agency_csv", args=[self.agency.pk]),
        )


class ScopePageMixin(VisitsMixin):
    """A dashboard page of one scope: its subtitle names the scope, and a period not offered answers 400 (the page
    still shows, with the message beside the choice)."""

    def get_page_subtitle(self) -> str:
        return str(self.agency.name) if self.agency is not None else _("Todo el portal")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if not self.period_form.is_valid():
            response.status_code = 400
        return response  # type: ignore[no-any-return]


class IndexView(View):
    """Where «Visitas» in the menu leads: the portal's dashboard, or the user's only entity's, or the list of theirs."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if access.check_can_see_portal(request.user):
            return redirect("insights_visits:portal")
        agencies = list(access.visible_agencies(request.user)[:2])
        if not agencies:
            raise PermissionDenied
        if len(agencies) == 1:
            return redirect("insights_visits:agency", agencies[0].pk)
        return ChooseView.as_view()(request)


class ChooseView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/admin/choose.html"
    page_title = gettext_lazy("Visitas")
    header_icon = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["agencies"] = access.visible_agencies(self.request.user)
        return context


class DashboardView(ScopePageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/admin/visits.html"
    page_title = gettext_lazy("Visitas")
    header_icon = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.period_form
        days = form.cleaned_data["periodo"] if form.is_valid() else 30
        agency_id = self.agency.pk if self.agency is not None else None
        data = queries.figures(agency_id, days)
        data.live = queries.live(agency_id)
        scope = self.agency.name if self.agency is not None else _("todo el portal")
        title = _("Visitas por día, %(scope)s") % {"scope": scope}
        description = _("Visitas de cada día del %(start)s al %(end)s; la tabla de abajo tiene las cifras.") % {
            "start": date_format(data.start, "DATE_FORMAT"),
            "end": date_format(data.end, "DATE_FORMAT"),
        }
        page_url, csv_url = self.scope_urls()
        context.update(
            {
                "agency": self.agency,
                "form": form,
                "figures": data,
                "searches_url": self.search_urls()[0],
                "chart": charts.bar_chart(
                    "visits-per-day", title, description, [(item.day.isoformat(), item.visits) for item in data.series]
                ),
                "chart_title": title,
                "page_url": page_url,
                "csv_url": f"{csv_url}?periodo={days}",
                "agencies": access.visible_agencies(self.request.user) if self.agency is None else None,
                "feedback_url": (
                    reverse("insights_visits:feedback_portal")
                    if self.agency is None
                    else reverse("insights_visits:feedback_agency", args=[self.agency.pk])
                )
                + f"?periodo={days}",
            }
        )
        return context


class SearchesView(ScopePageMixin, WagtailAdminTemplateMixin, TemplateView):
    """What people searched: the most frequent searches, and the two worklists (no results, led nowhere)."""

    template_name = "insights/admin/searches.html"
    page_title = gettext_lazy("Búsquedas")
    header_icon = "search"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        visits_url, _csv = self.scope_urls()
        return [
            *self.breadcrumbs_items,
            {"url": visits_url, "label": _("Visitas")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.period_form
        days = form.cleaned_data["periodo"] if form.is_valid() else 30
        agency_id = self.agency.pk if self.agency is not None else None
        page_url, csv_url = self.search_urls()
        context.update(
            {
                "agency": self.agency,
                "form": form,
                "figures": queries.search_figures(agency_id, days),
                "page_url": page_url,
                "csv_url": f"{csv_url}?periodo={days}",
                "minimum_visitors": settings.INSIGHTS_SEARCH_MIN_VISITORS,
                "follow_minutes": settings.INSIGHTS_SEARCH_FOLLOW_MINUTES,
            }
        )
        return context


class CsvView(VisitsMixin, View):
    #: What the file is named after, and its rows for (agency id or None, days).
    name = "visitas"

    def rows(self, agency_id: int | None, days: int) -> list[list[str]]:
        return queries.csv_rows(queries.figures(agency_id, days))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.period_form
        if not form.is_valid():
            return HttpResponse(
                _("Elija un periodo de la lista: 7, 30 o 90 días."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        days = form.cleaned_data["periodo"]
        agency_id = self.agency.pk if self.agency is not None else None
        scope = self.agency.slug if self.agency is not None else "portal"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.name}-{scope}-{days}-dias.csv"'
        csv.writer(response).writerows(self.rows(agency_id, days))
        return response


class SearchesCsvView(CsvView):
    name = "busquedas"

    def rows(self, agency_id: int | None, days: int) -> list[list[str]]:
        return queries.search_csv_rows(queries.search_figures(agency_id, days))


class FeedbackMixin(ScopePageMixin):
    """The «Comentarios» of a scope: page feedback, the latest comments (a worklist) and satisfaction per service."""

    def feedback_urls(self) -> tuple[str, str]:
        if self.agency is None:
            return reverse("insights_visits:feedback_portal"), reverse("insights_visits:feedback_portal_csv")
        return (
            reverse("insights_visits:feedback_agency", args=[self.agency.pk]),
            reverse("insights_visits:feedback_agency_csv", args=[self.agency.pk]),
        )

    def period(self) -> tuple[int, Any, Any]:
        form = self.period_form
        days = form.cleaned_data["periodo"] if form.is_valid() else 30
        until = local_day(timezone.now())
        return days, until - timedelta(days=days - 1), until


class FeedbackView(FeedbackMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/admin/feedback.html"
    page_title = gettext_lazy("Comentarios")
    header_icon = "comment"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        days, since, until = self.period()
        agency_id = self.agency.pk if self.agency is not None else None
        page_url, csv_url = self.feedback_urls()
        visits_url = self.scope_urls()[0]
        context.update(
            {
                "agency": self.agency,
                "form": self.period_form,
                "days": days,
                "since": since,
                "until": until,
                "pages": queries.page_feedback_by_path(since, until, agency_id),
                "comments": queries.latest_comments(since, until, agency_id),
                "satisfaction": queries.satisfaction_rows(since, until, agency_id),
                "survey_comments": queries.satisfaction_comments(since, until, agency_id),
                "page_url": page_url,
                "csv_url": f"{csv_url}?periodo={days}",
                "visits_url": f"{visits_url}?periodo={days}",
                "back_url": f"{page_url}?periodo={days}",
                "agencies": access.visible_agencies(self.request.user) if self.agency is None else None,
            }
        )
        return context


class FeedbackCsvView(FeedbackMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.period_form.is_valid():
            return HttpResponse(
                _("Elija un periodo de la lista: 7, 30 o 90 días."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        days, since, until = self.period()
        agency_id = self.agency.pk if self.agency is not None else None
        scope = self.agency.slug if self.agency is not None else "portal"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="comentarios-{scope}-{days}-dias.csv"'
        csv.writer(response).writerows(queries.feedback_csv_rows(since, until, agency_id))
        return response


@require_POST
def mark_handled(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """«Atendido» (or back to pending) on one comment, for whoever may see its page's entity; back to the list."""
    item = access.access_page_feedback(request.user, feedback_id)
    feedback.do_mark_handled(item, request.POST.get("atendido") != "no")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("insights_visits:index")
    return redirect(target)


class VisitsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.check_can_see_any(request.user)


class VisitsViewSet(ViewSet):
    name = "visitas"
    url_prefix = "visitas"
    url_namespace = "insights_visits"
    icon = "view"
    menu_label = gettext_lazy("Visitas")
    menu_item_class = VisitsMenuItem
    add_to_admin_menu = True
    menu_order = 248

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", IndexView.as_view(), name="index"),
            path("portal/", DashboardView.as_view(), name="portal"),
            path("portal/csv/", CsvView.as_view(), name="portal_csv"),
            path("instituciones/<int:agency_id>/", DashboardView.as_view(), name="agency"),
            path("instituciones/<int:agency_id>/csv/", CsvView.as_view(), name="agency_csv"),
            path("portal/busquedas/", SearchesView.as_view(), name="portal_searches"),
            path("portal/busquedas/csv/", SearchesCsvView.as_view(), name="portal_searches_csv"),
            path("instituciones/<int:agency_id>/busquedas/", SearchesView.as_view(), name="agency_searches"),
            path("instituciones/<int:agency_id>/busquedas/csv/", SearchesCsvView.as_view(), name="agency_searches_csv"),
            path("comentarios/portal/", FeedbackView.as_view(), name="feedback_portal"),
            path("comentarios/portal/csv/", FeedbackCsvView.as_view(), name="feedback_portal_csv"),
            path("comentarios/instituciones/<int:agency_id>/", FeedbackView.as_view(), name="feedback_agency"),
            path(
                "comentarios/instituciones/<int:agency_id>/csv/", FeedbackCsvView.as_view(), name="feedback_agency_csv"
            ),
            path("comentarios/<int:feedback_id>/atendido/", mark_handled, name="feedback_handled"),
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse("insights_visits:index")
