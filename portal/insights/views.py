"""The public KPI page of a service («Desempeño de este trámite»): figures the platform computes, so it cannot decay."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.cache import public_page
from portal.services.homoclave import normalize_homoclave
from portal.services.queries import live_services

from . import charts, queries


@public_page
def service_performance(request: HttpRequest, homoclave: str) -> HttpResponse:
    canonical = normalize_homoclave(homoclave)
    if canonical and canonical != homoclave:
        return redirect("insights:service_performance", homoclave=canonical, permanent=True)
    service = live_services().select_related("agency").filter(homoclave=canonical).first()
    if service is None:
        raise Http404
    data = queries.service_performance(service.pk)
    labels = [date_format(item.month, "M Y") for item in data.months]
    series = [
        (_("En línea"), [item.channels["online"].value for item in data.months]),
        (_("En ventanilla"), [item.channels["counter"].value for item in data.months]),
        (_("Sistema de la institución"), [item.channels["api"].value for item in data.months]),
    ]
    title = _("Solicitudes recibidas por mes y canal")
    description = _(
        "Solicitudes de %(first)s a %(last)s en línea, en ventanilla y por sistema de la institución. Un mes con "
        "menos de 10 en un canal no se dibuja. Las cifras están en la tabla que sigue."
    ) % {"first": labels[0], "last": labels[-1]}
    context = {
        "service": service,
        "data": data,
        "months": list(zip(labels, data.months, strict=True)),
        "chart": charts.line_chart("kpi-canales", title, description, labels, series),
        "chart_title": title,
    }
    return render(request, "insights/service_performance.html", context)
