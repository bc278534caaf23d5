"""How a published KPI figure reads on a page: its value in the Spanish number format, «menos de 10» for a hidden
count, «no se publica» for a hidden rate or median or a figure hidden to protect another, «sin datos» when there is nothing to count."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.core.templatetags.portal import pesos
from portal.insights.kpis import Figure

register = template.Library()


@register.filter
def kpi(figure: Figure, kind: str = "count") -> str:
    """``kind``: ``count``, ``percent``, ``minutes``, ``days`` or ``pesos`` (of a value in centavos)."""
    if figure.suppressed and figure.secondary:
        return _("no se publica (daría a conocer una cifra menor de 10)")
    if figure.suppressed:
        return _("menos de 10") if kind == "count" else _("no se publica (menos de 10 casos)")
    if figure.value is None:
        return _("sin datos")
    if kind == "pesos":
        return pesos(figure.value)
    if kind == "count":
        return number_format(figure.value, 0, use_l10n=True, force_grouping=True)
    shown = number_format(figure.value, 1, use_l10n=True, force_grouping=True)
    if kind == "percent":
        return f"{shown} %"
    if kind == "minutes":
        return _("%(value)s minutos") % {"value": shown}
    if kind == "days":
        return _("%(value)s días") % {"value": shown}
    return shown
