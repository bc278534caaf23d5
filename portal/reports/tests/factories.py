"""Builders of reports' test data: an internal control body with investigators who have keys, a filed report."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.reports import actions, casework, flood

_sequence = itertools.count(1)
PASSWORD = "clave-de-prueba-larga-1"


def make_entity(acronym: str, name: str = "") -> Any:
    return make_agency(acronym, workspace=False, name=name or f"Institución {acronym}")


def make_investigator(
    agency: Any, *, email: str = "", with_key: bool = True, password: str = PASSWORD, first_name: str = "Elena"
) -> Any:
    """A person with the investigator role in ``agency``; ``with_key`` makes their key pair with ``password``."""
    n = next(_sequence)
    user = make_account(email=email or f"investigacion{n}@{agency.acronym.lower()}.gob.mx", first_name=first_name)
    user.set_password(password)
    user.save(update_fields=["password"])
    do_grant_role(user, agency, Role.INVESTIGATOR)
    if with_key:
        actions.do_create_investigator_key(user, password)
    return user


def content_for(agency: Any, **fields: Any) -> actions.ReportContent:
    values = {
        "what": "El encargado de la ventanilla pidió 2,000 pesos para entregar la licencia sin la cita.",
        "agency_id": agency.pk,
        "agency_name": agency.name,
        "person": "Juan Pérez",
        "position": "Encargado de ventanilla",
        "when": "15 de noviembre de 2026",
        "where": "Oficina de la calle Hidalgo 10, Toluca",
    }
    values.update(fields)
    return actions.ReportContent(**values)


def file_report(agency: Any, *, files: list[Any] | None = None, **fields: Any) -> actions.Filed:
    evidence = actions.prepare_evidence(files or [], strip_images=False)
    return actions.do_file_report(content_for(agency, **fields), evidence, agency=agency)


def report_answers(agency: Any, **overrides: Any) -> dict[str, Any]:
    """What the report form posts (fields named as the page names them), with a fresh form token as the page draws
    one (``flood``); ``None`` leaves a field out."""
    data: dict[str, Any] = {
        "institucion": agency.acronym,
        "que_paso": "El director pidió 5,000 pesos por firmar el contrato de limpieza.",
        "persona": "Mario Gómez",
        "cargo": "Director de Administración",
        "cuando": "Marzo de 2026",
        "donde": "Oficinas centrales",
        "personal_oic": "no",
        "identificacion": "anonima",
        "quitar_metadatos": "on",
        "form_token": flood.new_challenge().token,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def jpeg_with_exif(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A JPEG whose EXIF names the camera (metadata that evidence keeps unless the reporter strips it)."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CamaraDePrueba"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _investigator_of(report: Any) -> Any:
    """An investigator who can read ``report`` (one with a wrap of its key), as the back office would act."""
    wrap = report.wraps.filter(investigator__isnull=False).select_related("investigator").first()
    assert wrap is not None, "the report's body has no investigator with a key"
    return wrap.investigator


def ask_reporter(filed: actions.Filed, text: str) -> Any:
    """A question of the investigators to the reporter, asked through the back office's own action."""
    assert filed.report_key is not None
    return casework.do_ask_reporter(filed.report, _investigator_of(filed.report), filed.report_key, text)


def close_report(filed: actions.Filed, *, outcome: str) -> Any:
    """Classify a report in scope and conclude it with the outcome the reporter reads, through the back office."""
    assert filed.report_key is not None
    investigator = _investigator_of(filed.report)
    casework.do_classify_in_scope(filed.report, investigator)
    return casework.do_close(filed.report, investigator, filed.report_key, outcome)


def png(name: str = "captura.png") -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (20, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
