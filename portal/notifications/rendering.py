"""Rendering notification templates that administrators write, with the Django template language, in a sandbox.

The sandbox is a separate template engine that can load nothing (no ``{% include %}``, ``{% extends %}`` or
``{% load %}``: there are no loaders and no libraries) and a check, before anything is saved or rendered, that the
template uses only an allowed set of tags, no filter that switches off escaping, and only the variables its event
declares. The context holds plain values only (text, numbers, dates, lists and dicts of them, see
``check_context_values``), so a template cannot reach a model, a manager or a method that writes. Plain-text parts
(subject, body, SMS) render with autoescape off; the HTML body with autoescape on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, Variable, VariableNode
from django.template.defaulttags import (
    CycleNode,
    FilterNode,
    FirstOfNode,
    ForNode,
    IfNode,
    NowNode,
    TemplateLiteral,
    WithNode,
)
from django.utils import translation
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "firstof",
        "cycle",
        "now",
        "comment",
        "endcomment",
        "spaceless",
        "endspaceless",
        "filter",
        "endfilter",
        "verbatim",
        "endverbatim",
        "templatetag",
    }
)
# ``safe`` and ``safeseq`` would let a citizen's own text into an HTML e-mail unescaped; the others print Python
# representations.
FORBIDDEN_FILTERS = frozenset({"safe", "safeseq", "pprint", "escapejs", "json_script"})
_BLOCK_TAG = re.compile(r"{%-?\s*(\w+)")
_PLAIN_TYPES = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time, type(None))

_engine = Engine(dirs=[], loaders=[], libraries={}, builtins=[], autoescape=True, string_if_invalid="", debug=False)


class TemplateProblem(ValueError):
    """A template that cannot be used: the message is for the administrator who wrote it, in Spanish."""


def check_context_values(context: Mapping[str, Any], path: str = "") -> None:
    """Refuse anything but plain values, so that templates cannot call into models or other live objects."""
    for key, value in context.items():
        where = f"{path}{key}"
        if not isinstance(key, str):
            raise TypeError(f"context keys must be strings ({where!r})")
        _check_value(value, where)


def _check_value(value: Any, where: str) -> None:
    if isinstance(value, _PLAIN_TYPES):
        return
    if isinstance(value, Mapping):
        check_context_values(value, f"{where}.")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]")
    else:
        raise TypeError(f"context value {where!r} is a {type(value).__name__}; pass plain values only")


def _variable_root(expression: FilterExpression) -> Iterable[tuple[str, str | None]]:
    """(first name of each variable the expression reads, filter name or None)."""
    if isinstance(expression.var, Variable) and expression.var.lookups:
        yield expression.var.lookups[0], None
    for func, args in expression.filters:
        name = getattr(func, "_filter_name", func.__name__)
        yield "", name
        for is_lookup, arg in args:
            if is_lookup and isinstance(arg, Variable) and arg.lookups:
                yield arg.lookups[0], name


class _Usage:
    def __init__(self) -> None:
        self.unknown: set[str] = set()
        self.forbidden_filters: set[str] = set()

    def read(self, expression: Any, bound: set[str], known: frozenset[str]) -> None:
        if isinstance(expression, FilterExpression):
            for name, filter_name in _variable_root(expression):
                if filter_name in FORBIDDEN_FILTERS:
                    self.forbidden_filters.add(filter_name)
                if name and name not in bound and name not in known:
                    self.unknown.add(name)
        elif isinstance(expression, TemplateLiteral):
            self.read(expression.value, bound, known)
        elif expression is not None and hasattr(expression, "first"):
            # An operator of the {% if %} expression parser.
            self.read(expression.first, bound, known)
            self.read(expression.second, bound, known)

    def walk(self, nodelist: NodeList | Iterable[Node], bound: set[str], known: frozenset[str]) -> None:
        for node in nodelist:
            if isinstance(node, VariableNode):
                self.read(node.filter_expression, bound, known)
            elif isinstance(node, ForNode):
                self.read(node.sequence, bound, known)
                # django-stubs types these as ``list[str] | NodeList``; Django sets NodeLists.
                self.walk(node.nodelist_loop, bound | set(node.loopvars) | {"forloop"}, known)  # type: ignore[arg-type]
                self.walk(node.nodelist_empty, bound, known)  # type: ignore[arg-type]
            elif isinstance(node, WithNode):
                for value in node.extra_context.values():
                    self.read(value, bound, known)
                self.walk(node.nodelist, bound | set(node.extra_context), known)
            elif isinstance(node, IfNode):
                for condition, branch in node.conditions_nodelists:
                    self.read(condition, bound, known)
                    self.walk(branch, bound, known)
            elif isinstance(node, FirstOfNode):
                for value in node.vars:
                    self.read(value, bound, known)
                if node.asvar:
                    bound.add(node.asvar)
            elif isinstance(node, CycleNode):
                for value in node.cyclevars:
                    self.read(value, bound, known)
                if node.variable_name:
                    bound.add(node.variable_name)
            elif isinstance(node, FilterNode):
                self.read(node.filter_expr, bound, known)
                self.walk(node.nodelist, bound, known)
            else:
                if isinstance(node, NowNode) and node.asvar:
                    bound.add(node.asvar)
                for attribute in node.child_nodelists:
                    self.walk(getattr(node, attribute, None) or [], bound, known)


def check_source(source: str, variables: frozenset[str]) -> None:
    """Refuse a template that does not compile, uses a tag or filter outside the sandbox, or an unknown variable."""
    tags = {match.group(1) for match in _BLOCK_TAG.finditer(source)} - ALLOWED_TAGS
    if tags:
        raise TemplateProblem(
            _("Estas etiquetas no están permitidas en las plantillas de notificación: %(tags)s.")
            % {"tags": ", ".join(sorted(tags))}
        )
    try:
        template = _engine.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(_("La plantilla tiene un error de sintaxis: %(error)s") % {"error": error}) from error
    usage = _Usage()
    usage.walk(template.nodelist, set(), variables)
    if usage.forbidden_filters:
        raise TemplateProblem(
            _("Estos filtros no están permitidos en las plantillas de notificación: %(filters)s.")
            % {"filters": ", ".join(sorted(usage.forbidden_filters))}
        )
    if usage.unknown:
        raise TemplateProblem(
            _("La plantilla usa variables que este evento no ofrece: %(unknown)s. Variables disponibles: %(known)s.")
            % {"unknown": ", ".join(sorted(usage.unknown)), "known": ", ".join(sorted(variables))}
        )


def render(source: str, context: Mapping[str, Any], *, html: bool = False, language: str = "es") -> str:
    """Render a checked template; the caller has checked the source with ``check_source``.

    Raises ``TemplateProblem`` if rendering fails (a filter that cannot handle the value it gets, for instance).
    """
    check_context_values(context)
    try:
        template = _engine.from_string(source)
        with translation.override(language):
            return template.render(Context(dict(context), autoescape=html))
    except Exception as error:
        # Any exception a filter raises on odd data must not escape as a 500 from the admin or crash a task.
        raise TemplateProblem(
            _("La plantilla no se pudo generar: %(error)s") % {"error": type(error).__name__}
        ) from error


def render_subject(source: str, context: Mapping[str, Any], *, language: str = "es") -> str:
    """A subject is one line: newlines would be header injection, so whitespace is collapsed."""
    return " ".join(render(source, context, language=language).split())


def render_text(source: str, context: Mapping[str, Any], *, language: str = "es") -> str:
    return render(source, context, language=language).strip()
