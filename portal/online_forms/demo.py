"""The demo forms (``portal/online_forms/demo_forms/*.json``) and their loader: this app's part of
``manage.py seed_demo`` (a demo loader, see ``portal/demo/loaders.py``: the demo app imports this module by name).

Each file is ``{"service": homoclave, "required_assurance", "draft_retention_days", "schema"}``. Loading is
idempotent: a checksum of the files is recorded through core's ``do_record_data_load`` (``portal.core.actions``) and
nothing is written while it matches and every form is still live; otherwise each form whose live schema differs gets a
new published version (version 1 the first time). A file whose service is not in the catalogue is skipped and
reported, so a partial catalogue still seeds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import AssuranceLevel
from portal.core.actions import check_data_load_current, do_record_data_load
from portal.services.models import ServicePage

from .actions import do_get_or_create_definition, do_publish_version, do_save_working_copy
from .models import FormDefinition
from .schema import validate_definition

DEMO_AFTER = ("services",)  # each form belongs to a service sheet
DEMO_FORMS_DIR = Path(__file__).resolve().parent / "demo_forms"
DATA_LOAD_NAME = "demo_forms"
LOADER_VERSION = "1"


class DemoFormError(ValueError):
    """A demo form file that cannot be loaded; the message lists every problem."""


@dataclass
class DemoFormsResult:
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing_services: list[str] = field(default_factory=list)
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return _("Formularios en línea de demostración: ya cargados, ningún archivo cambió.")
        text = _("Formularios en línea de demostración: %(published)d publicados, %(unchanged)d sin cambios.") % {
            "published": len(self.published),
            "unchanged": len(self.unchanged),
        }
        if self.missing_services:
            text += " " + _("Sin trámite en el catálogo: %(list)s.") % {"list": ", ".join(self.missing_services)}
        return text


def demo_form_files(directory: Path = DEMO_FORMS_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def read_demo_form(path: Path) -> dict:
    """A demo form file, checked: the schema must be publishable and the settings known values."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DemoFormError(f"{path.name}: {error}") from error
    problems = []
    if not isinstance(data, dict) or set(data) != {"service", "required_assurance", "draft_retention_days", "schema"}:
        raise DemoFormError(
            f"{path.name}: " + _("debe tener exactamente service, required_assurance, draft_retention_days y schema.")
        )
    if data["required_assurance"] not in (AssuranceLevel.BASIC, AssuranceLevel.VERIFIED):
        problems.append(_("required_assurance debe ser «basic» o «verified»."))
    problems += validate_definition(data["schema"])
    if problems:
        raise DemoFormError("\n".join(f"{path.name}: {problem}" for problem in problems))
    return data


def _checksum(paths: list[Path]) -> str:
    digest = hashlib.sha256(f"loader={LOADER_VERSION}".encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _still_loaded(details: dict) -> bool:
    """Whether the last load still stands: its forms are live and the services it lacked are still missing (a seed of
    the catalogue after the forms must publish the forms of the services that now exist)."""
    homoclaves = details.get("published", [])
    live = FormDefinition.objects.filter(service__homoclave__in=homoclaves, live_version__isnull=False).count()
    missing = details.get("missing", [])
    return live == len(homoclaves) and not ServicePage.objects.filter(homoclave__in=missing).exists()


@transaction.atomic
def load_demo_forms(directory: Path = DEMO_FORMS_DIR, *, force: bool = False) -> DemoFormsResult:
    paths = demo_form_files(directory)
    checksum = _checksum(paths)
    details = check_data_load_current(DATA_LOAD_NAME, checksum)
    if not force and details is not None and _still_loaded(details):
        return DemoFormsResult(skipped=True)
    forms = [read_demo_form(path) for path in paths]
    result = DemoFormsResult()
    services = {
        page.homoclave: page for page in ServicePage.objects.filter(homoclave__in=[f["service"] for f in forms])
    }
    for form in forms:
        service = services.get(form["service"])
        if service is None:
            result.missing_services.append(form["service"])
            continue
        definition = do_get_or_create_definition(service)
        live = definition.live_version
        if live is None or live.schema != form["schema"]:
            version = do_save_working_copy(definition, form["schema"], None, note=_("Formulario de demostración"))
            do_publish_version(definition, version, None, check_permission=False)
            result.published.append(form["service"])
        else:
            result.unchanged.append(form["service"])
        FormDefinition.objects.filter(pk=definition.pk).update(
            required_assurance=form["required_assurance"], draft_retention_days=form["draft_retention_days"]
        )
    do_record_data_load(
        DATA_LOAD_NAME,
        checksum,
        {"published": sorted(result.published + result.unchanged), "missing": sorted(result.missing_services)},
    )
    return result


def load_demo(seed) -> None:
    """Every run: the forms keep their own checksum, and a catalogue loaded after them may now have their services."""
    seed.say(load_demo_forms().summary())
