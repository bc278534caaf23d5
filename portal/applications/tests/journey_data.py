"""Builders shared by the journey's tests (drafts, submission, tracking, Mi expediente): a service with a published
form, a citizen, and drafts filled through the same actions the pages call."""

from __future__ import annotations

import copy
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.applications.actions import drafts
from portal.applications.models import Application
from portal.applications.tests.factories import published_form, simple_schema
from portal.online_forms.models import FormDefinition
from portal.services.tests.factories import make_service

PASSWORD = "una frase larga y difícil"


def schema_without_files() -> dict[str, Any]:
    """SIMPLE_SCHEMA without its file page: text, yes/no (with an exit), declaration."""
    schema = simple_schema()
    schema["pages"] = [page for page in schema["pages"] if page["id"] != "documentos"]
    return schema


def branching_schema() -> dict[str, Any]:
    """A page shown only for one answer, to prove that answers of pages that become hidden are dropped."""
    schema = schema_without_files()
    schema["pages"].insert(
        2,
        {
            "id": "estado",
            "title": "Estado donde vive",
            "show_if": {"question": "vive-en-mexico", "equals": True},
            "questions": [{"id": "entidad", "type": "text", "label": "Estado donde vive", "required": True}],
        },
    )
    return schema


def open_form(
    schema: dict | None = None,
    *,
    acronym: str | None = None,
    resolution_days: int = 10,
    silence_rule: str = "negativa",
    **definition_fields,
) -> FormDefinition:
    agency = make_agency(acronym)
    service = make_service(
        agency, resolution_days=resolution_days, silence_rule=silence_rule, title="Constancia de prueba"
    )
    version = published_form(
        service, copy.deepcopy(schema) if schema is not None else schema_without_files(), **definition_fields
    )
    return version.definition


def citizen(email: str = "ana@example.mx", **fields):
    fields.setdefault("first_name", "Ana")
    fields.setdefault("last_name", "López Pérez")
    return make_account(email=email, password=PASSWORD, **fields)


def complete_draft(user, definition: FormDefinition, *, with_declaration: bool = False) -> Application:
    """A draft with every page of ``schema_without_files`` answered (the declaration only if asked)."""
    application = drafts.do_start_draft(user, definition)
    application, _step = drafts.do_save_page(application, "datos", {"nombre": "Ana López Pérez"}, actor=user)
    application, _step = drafts.do_save_page(application, "requisito", {"vive-en-mexico": True}, actor=user)
    schema = application.form_version.schema
    if any(page["id"] == "estado" for page in schema["pages"]):
        application, _step = drafts.do_save_page(application, "estado", {"entidad": "Colima"}, actor=user)
    if with_declaration:
        application.answers = {**application.answers, "declaro": True}
        application.save(update_fields=["answers"])
    return application


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (105, 28, 50)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
