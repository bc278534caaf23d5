"""Builders of reports' test data: an internal control body with investigators who have keys, a filed report."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.reports import actions, crypto
from portal.reports.models import ReportMessage, ReportStatus, Sender

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


def jpeg_with_exif(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A JPEG whose EXIF names the camera (metadata that evidence keeps unless the reporter strips it)."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CamaraDePrueba"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def ask_reporter(filed: actions.Filed, text: str) -> Any:
    """A question of the investigators to the reporter, sealed as the back office seals one (the back office's own
    action lives with it; the reporter's tests need only the row it leaves)."""
    report = filed.report
    message = ReportMessage(report=report, sender=Sender.INVESTIGATOR)
    message.sealed_text = crypto.seal(
        filed.report_key, text.encode(), context=report.context("message", message.public_id)
    )
    message.save()
    report.awaiting_reporter = True
    report.updated_at = timezone.now()
    report.save(update_fields=["awaiting_reporter", "updated_at"])
    return message


def close_report(filed: actions.Filed, *, classification: str = "in_scope", **resolution: str) -> None:
    """Conclude a report with what the reporter reads (``sealed_resolution``), as the back office would."""
    report = filed.report
    report.status = ReportStatus.CLOSED
    report.classification = classification
    report.closed_at = timezone.now()
    report.sealed_resolution = crypto.seal_json(
        filed.report_key, dict(resolution), context=report.context("resolution")
    )
    report.save()


def png(name: str = "captura.png") -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (20, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
