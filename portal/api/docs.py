"""The API's documentation page, written by the server from the OpenAPI document.

django-ninja ships Swagger UI's files locally, but Swagger UI is an English-only JavaScript application with known
accessibility failures (contrast, unlabeled controls, focus handling) and it renders nothing without JavaScript. The
portal promises pages in Spanish that pass axe-core and work without scripts, so the page is an ordinary Django
template fed by ``describe_api``: endpoints, parameters, responses and schemas come from the same OpenAPI document
that clients download, and cannot drift from it. ``docs/api.md`` records the decision.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.openapi.docs import DocsBase

REF_PREFIX = "#/components/schemas/"
FORMATS = {"date": _("fecha (AAAA-MM-DD)"), "date-time": _("fecha y hora (ISO 8601, UTC)")}


def _type_words() -> dict[str, str]:
    return {
        "string": gettext("texto"),
        "integer": gettext("entero"),
        "number": gettext("número"),
        "boolean": gettext("booleano (true o false)"),
        "object": gettext("objeto"),
        "null": "null",
    }


def schema_anchor(name: str) -> str:
    return f"esquema-{slugify(name)}"


def describe_type(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema fragment as words, and the component it refers to (for a link), if any."""
    words = _type_words()
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return {"label": name, "ref": name, "anchor": schema_anchor(name)}
    if "anyOf" in schema:
        options = [describe_type(option) for option in schema["anyOf"]]
        ref = next((option for option in options if option.get("ref")), None)
        label = gettext(" o ").join(option["label"] for option in options)
        return {"label": label, "ref": ref["ref"] if ref else "", "anchor": ref["anchor"] if ref else ""}
    if schema.get("type") == "array":
        item = describe_type(schema.get("items", {}))
        return {**item, "label": gettext("lista de %(item)s") % {"item": item["label"]}}
    if "enum" in schema:
        values = ", ".join(str(value) for value in schema["enum"])
        return {"label": gettext("uno de: %(values)s") % {"values": values}, "ref": "", "anchor": ""}
    if "const" in schema:
        return {"label": str(schema["const"]), "ref": "", "anchor": ""}
    if schema.get("format") in FORMATS:
        return {"label": str(FORMATS[schema["format"]]), "ref": "", "anchor": ""}
    kind = schema.get("type", "")
    label = words.get(kind, kind or gettext("cualquier valor"))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        inner = describe_type(schema["additionalProperties"])
        label = gettext("objeto de %(item)s") % {"item": inner["label"]}
    return {"label": label, "ref": "", "anchor": ""}


def _limits(schema: dict[str, Any]) -> str:
    parts = []
    if "minimum" in schema:
        parts.append(gettext("mínimo %(value)s") % {"value": schema["minimum"]})
    if "maximum" in schema:
        parts.append(gettext("máximo %(value)s") % {"value": schema["maximum"]})
    if "default" in schema:
        parts.append(gettext("si se omite: %(value)s") % {"value": schema["default"]})
    return "; ".join(parts)


def _example(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    examples = parameter.get("examples") or schema.get("examples") or []
    if isinstance(examples, dict):
        examples = [example.get("value") for example in examples.values()]
    return str(examples[0]) if examples else ""


def _operation(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    parameters = []
    example_path = path
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        example = _example(parameter)
        if parameter.get("in") == "path" and example:
            example_path = example_path.replace("{" + parameter["name"] + "}", example)
        parameters.append(
            {
                "name": parameter["name"],
                "location": gettext("ruta") if parameter.get("in") == "path" else gettext("consulta"),
                "required": parameter.get("required", False),
                "type": describe_type(schema),
                "description": parameter.get("description") or schema.get("description", ""),
                "limits": _limits(schema),
                "example": example,
            }
        )
    responses = []
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {}).get("application/json", {})
        responses.append(
            {
                "status": status,
                "description": response.get("description", ""),
                "type": describe_type(content["schema"]) if "schema" in content else None,
            }
        )
    return {
        "anchor": slugify(operation.get("operationId") or f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": parameters,
        "responses": responses,
        "example_path": example_path if "{" not in example_path else "",
    }


def _component(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))
    fields = [
        {
            "name": field,
            "type": describe_type(definition),
            "required": field in required,
            "description": definition.get("description", ""),
        }
        for field, definition in schema.get("properties", {}).items()
    ]
    return {"name": name, "anchor": schema_anchor(name), "fields": fields}


def _references(fragment: Any) -> set[str]:
    if isinstance(fragment, dict):
        found = {fragment["$ref"].removeprefix(REF_PREFIX)} if isinstance(fragment.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in fragment.values()))
    if isinstance(fragment, list):
        return set().union(*(_references(value) for value in fragment))
    return set()


def _response_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """The components that some response uses, directly or nested; ninja also lists the query-string models."""
    components = document.get("components", {}).get("schemas", {})
    pending = {
        name
        for methods in document.get("paths", {}).values()
        for operation in methods.values()
        for name in _references(operation.get("responses", {}))
    }
    reachable: set[str] = set()
    while pending:
        name = pending.pop()
        if name in components and name not in reachable:
            reachable.add(name)
            pending |= _references(components[name])
    return {name: components[name] for name in reachable}


def describe_api(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document reshaped for the template: operations grouped by tag, then the response schemas."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or [gettext("Otros")])[0]
            groups.setdefault(str(tag), []).append(_operation(path, method, operation))
    components = _response_schemas(document)
    return {
        "title": document.get("info", {}).get("title", ""),
        "description": document.get("info", {}).get("description", ""),
        "version": document.get("info", {}).get("version", ""),
        "groups": [{"name": name, "anchor": slugify(name), "operations": ops} for name, ops in groups.items()],
        "schemas": [_component(name, schema) for name, schema in sorted(components.items())],
    }


class PortalDocs(DocsBase):
    """ninja's docs hook, answered with our own template instead of Swagger UI."""

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        context = describe_api(document)
        context["openapi_url"] = request.build_absolute_uri(reverse(f"{api.urls_namespace}:openapi-json"))
        context["api_root"] = request.build_absolute_uri(reverse(f"{api.urls_namespace}:index"))
        return render(request, "api/docs.html", context)
