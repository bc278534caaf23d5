"""Template helpers of the public site: money, business days, language links, GOV.UK form fields, pagination.

Every helper here must render *something* sensible for any input: a template error on a public page is a 500, and
the error pages themselves use these helpers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.forms import BoundField
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def pesos(centavos: object) -> str:
    """Integer centavos as Mexican pesos: 179000 → "$1,790.00". Anything that is not a whole number renders empty.

    Money is stored as integer centavos everywhere so that no sum rounds; this is the only place it becomes text.
    """
    if isinstance(centavos, bool) or centavos is None:
        return ""
    try:
        if isinstance(centavos, float | Decimal) and not (math.isfinite(centavos) and centavos == int(centavos)):
            return ""
        amount = int(centavos)  # type: ignore[call-overload]  # Any value: what int() refuses is caught below.
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return ""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}${whole:,}.{cents:02d}"


@register.filter
def in_fours(value: object) -> str:
    """A long code in groups of four characters («1011 9500 0505 0253 7636»), as it is printed on paper and read aloud
    at a counter: twenty digits in one run are hard to copy without a mistake."""
    text = str(value) if value is not None else ""
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@register.filter
def business_days(days: object) -> str:
    """A resolution time: 0 is «Inmediato», otherwise «N días hábiles»."""
    try:
        count = int(days)  # type: ignore[call-overload]  # Any value: what int() refuses is caught below.
    except (TypeError, ValueError):
        return ""
    if count <= 0:
        return gettext("Inmediato")
    return ngettext("%(count)s día hábil", "%(count)s días hábiles", count) % {"count": count}


@register.filter
def startswith(value: object, prefix: object) -> bool:
    return isinstance(value, str) and isinstance(prefix, str) and bool(prefix) and value.startswith(prefix)


def _home_url(language_code: str) -> str:
    with translation.override(language_code):
        try:
            return reverse("core:home")
        except NoReverseMatch:
            return "/"


@register.simple_tag(takes_context=True)
def translated_url(context: template.Context, language_code: str) -> str:
    """The address of the current page in another language, or that language's home page if it has none.

    Spanish addresses have no prefix and English ones live under /en/ (``i18n_patterns`` with
    ``prefix_default_language=False``); ``translate_url`` resolves the current path and reverses it in the other
    language, keeping the query string.
    """
    request = context.get("request")
    if request is None:
        return _home_url(language_code)
    path = request.get_full_path()
    url = translate_url(path, language_code)
    if url == path and language_code != translation.get_language():
        # The path did not resolve (a 404 page, for instance): offer the other language's home page.
        return _home_url(language_code)
    return url


@register.simple_tag
def field_widget(field: BoundField, css_class: str) -> SafeString:
    """A form field's widget with GOV.UK's classes, and its hint and error message tied to it for screen readers.

    The hint is ``<id>-hint`` and the error ``<id>-error``, as the templates write them. A field with help text gets its
    ``aria-describedby`` here, because otherwise Django points it at ``<id>_helptext``, an id no template writes.
    """
    classes = [css_class]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    if field.errors:
        if css_class in ("govuk-select", "govuk-input", "govuk-textarea"):
            classes.append(f"{css_class}--error")
        described_by.append(f"{field.id_for_label}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def page_url(querystring: str | None, number: int) -> str:
    """A link to page ``number`` of a list, keeping its filters (``querystring`` has no ``pagina`` in it)."""
    query = f"pagina={int(number)}"
    return f"?{querystring}&{query}" if querystring else f"?{query}"


@register.simple_tag
def elided_pages(page: Page) -> list[int | str]:
    """Page numbers to show around the current one, with "…" where pages are skipped."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.simple_tag
def choice_label(child: object, name: str) -> str:
    """The label of a choice inside a StreamField block value (e.g. a requirement's «presentación»)."""
    value = child.value.get(name) if hasattr(child, "value") else None
    block = getattr(getattr(child, "block", None), "child_blocks", {}).get(name)
    choices: Iterable = getattr(getattr(block, "field", None), "choices", ()) or ()
    for key, label in choices:
        if key == value:
            return str(label)
    return "" if value is None else str(value)


@register.simple_tag
def external_link_note() -> SafeString:
    """The visually hidden note that a link leaves the portal."""
    return format_html('<span class="govuk-visually-hidden"> {}</span>', gettext("(sitio externo)"))


@register.simple_tag
def portal_contact_email() -> str:
    """The operator's contact address (``PORTAL_CONTACT_EMAIL``), or "" where the operator has not set one."""
    return str(getattr(settings, "PORTAL_CONTACT_EMAIL", "") or "")
