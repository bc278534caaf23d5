"""Template helpers of the account pages: GOV.UK widgets for any form field, and how devices and numbers are shown."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from ..devices import Browser, Platform, browser_family, coarse_network, platform_family
from ..phone import format_mexican_phone

register = template.Library()

_ERROR_CLASSES = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error"}


@register.simple_tag
def govuk_widget(field: BoundField, base_class: str, extra_classes: str = "", hint_id: str = "") -> SafeString:
    """The field's widget with GOV.UK classes, its hint and error tied to it, and no placeholder.

    GOV.UK asks for no placeholders (they vanish as one types and read as filled-in values); allauth sets some.
    """
    classes = [base_class, *extra_classes.split()]
    described_by = [hint_id] if hint_id else []
    if field.errors:
        if base_class in _ERROR_CLASSES:
            classes.append(_ERROR_CLASSES[base_class])
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(classes), "placeholder": False}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.name == "code":
        attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"})
    html: str = field.as_widget(attrs=attrs)
    if not described_by:
        # Django points a field with help text at «<id>_helptext», which the templates never write (they show help,
        # if at all, as a GOV.UK hint whose id they pass here): a reference to nothing is left out.
        html = html.replace(f' aria-describedby="{field.auto_id}_helptext"', "")
    return mark_safe(html)  # noqa: S308 - Django's own rendering, one attribute removed


@register.filter
def phone_display(value: str) -> str:
    return format_mexican_phone(value or "")


@register.filter
def network(address: str) -> str:
    """An address as the coarse network the portal shows (allauth's notification e-mails pass the full address)."""
    return coarse_network(address) or "—"


@register.filter
def device(user_agent: str) -> str:
    """«Chrome en Android» from a User-Agent string."""
    browser = Browser(browser_family(user_agent)).label
    platform = Platform(platform_family(user_agent)).label
    return f"{browser} · {platform}"
