"""Builders of the registry's test data: an entity with its «Enlace de participación ciudadana», a body with members,
sessions, documents and agreements."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.applications.actions.files import inspect_upload
from portal.participation.bodies import actions
from portal.participation.bodies.models import Body, BodyKind, BodyScope, MemberRole, MemberSector
from portal.participation.tests.factories import make_entity, pdf_upload

_sequence = itertools.count(1)

__all__ = ["body_fields", "make_body", "make_body_staff", "make_entity", "make_session", "pdf_upload", "stored_pdf"]


def make_body_staff(agency: Any, email: str = "", *, role: str = Role.PARTICIPATION) -> Any:
    n = next(_sequence)
    user = make_account(email=email or f"participacion{n}@{agency.acronym.lower()}.gob.mx", first_name="Tomás")
    do_grant_role(user, agency, role)
    return user


def body_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Consejo Consultivo de Salud",
        "kind": BodyKind.ADVISORY_COUNCIL,
        "purpose": "Opinar sobre las políticas de salud pública.",
        "legal_basis": "Ley General de Salud, art. 17; Acuerdo de creación (DOF 12/03/2020).",
        "legal_basis_url": "https://www.dof.gob.mx/nota_detalle.php?codigo=1",
        "how_to_take_part": "Convocatoria pública anual; las sesiones ordinarias son abiertas.",
        "contact_email": "consejo@salud.gob.mx",
        "scope": BodyScope.NATIONAL,
    } | overrides


def make_body(agency: Any, actor: Any = None, **overrides: Any) -> Body:
    return actions.do_create_body(actor, agency, body_fields(**overrides))


def make_member(body: Body, name: str = "Laura Méndez Ortiz", **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "name": name,
        "role": MemberRole.COUNCILLOR,
        "sector": MemberSector.ACADEMIA,
        "term_start": dt.date(2025, 1, 15),
        "term_end": None,
    } | overrides
    return actions.do_add_member(body, None, **fields)


def make_session(body: Body, date: dt.date = dt.date(2026, 3, 10), **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": "ordinary",
        "date": date,
        "place": "En línea",
        "agenda": "1. Lista de asistencia",
        "status": "held",
    }
    return actions.do_add_session(body, None, **(fields | overrides))


def stored_pdf(session: Any, title: str = "Acta de la sesión", kind: str = "minutes") -> Any:
    return actions.do_add_document(session, None, kind=kind, title=title, clean=inspect_upload(pdf_upload("acta.pdf")))


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
