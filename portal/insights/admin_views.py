"""«Visitas» in the Wagtail admin (docs/insights.md, «Los tableros»): the whole portal for its administrators, each
entity's figures for its own staff. Thin: who sees what is ``access``; the figures are ``queries``."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import access, charts, queries

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


class DashboardView(VisitsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "insights/admin/visits.html"
    page_title = gettext_lazy("Visitas")
    header_icon = "view"

    def get_page_subtitle(self) -> str:
        return str(self.agency.name) if self.agency is not None else _("Todo el portal")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if not self.period_form.is_valid():
            response.status_code = 400
        return response

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
            }
        )
        return context


class SearchesView(VisitsMixin, WagtailAdminTemplateMixin, TemplateView):
    """What people searched: the most frequent searches, and the two worklists (no results, led nowhere)."""

    template_name = "insights/admin/searches.html"
    page_title = gettext_lazy("Búsquedas")
    header_icon = "search"

    def get_page_subtitle(self) -> str:
        return str(self.agency.name) if self.agency is not None else _("Todo el portal")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        visits_url, _csv = self.scope_urls()
        return [
            *self.breadcrumbs_items,
            {"url": visits_url, "label": _("Visitas")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if not self.period_form.is_valid():
            response.status_code = 400
        return response

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
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse("insights_visits:index")
