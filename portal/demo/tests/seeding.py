"""What the tests of ``seed_demo`` share: a small set of data files to seed from, the command run on them, and what a
seed wrote, counted."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

from django.core.management import call_command
from wagtail.models import Revision

from portal.agencies.management.demo_agencies import AGENCIES_FILE
from portal.agencies.models import Agency, Office
from portal.geo.models import Settlement
from portal.services.models import LifeEvent, ServicePage, Topic

SERVICE = {
    "homoclave": "SAT-01-001",
    "title": "Inscripción al RFC de personas físicas",
    "description": "Obtén tu Registro Federal de Contribuyentes para trabajar, facturar y declarar impuestos.",
    "result": "Constancia de Situación Fiscal",
    "audience": "persona",
    "cases": [],
    "requirements": [{"document": "CURP", "presentation": "dato", "copies": None, "conditions": ""}],
    "steps": ["Ingresa al portal del SAT", "Captura tu CURP", "Descarga tu constancia"],
    "formats": [],
    "legal_basis": [{"law": "Código Fiscal de la Federación", "articles": "Artículo 27", "url": ""}],
    "online_url": "https://www.sat.gob.mx/",
    "in_person": True,
    "phone_channel": "55 627 22 728",
    "fees": [],
    "payment_info": "",
    "resolution_days": 0,
    "silence_rule": "no_aplica",
    "validity": "Indefinida",
    "offices": "all",
    "contact": "MarcaSAT 55 627 22 728",
    "complaints": "Quejas y denuncias SAT",
    "topics": ["impuestos"],
    "life_events": ["mayoria-de-edad", "abrir-una-empresa"],
    "digitization": 5,
    "annual_volume": 2500000,
    "citizen_minutes": 20,
    "keywords": "rfc, alta en hacienda",
}


def write_services(base, acronym, services, level):
    folder = base / level
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{acronym}.json").write_text(json.dumps({"agency": acronym, "services": services}), "utf-8")


SMALL_SET = ("SHCP", "SAT", "SSA", "IMSS", "SRE", "GOBCOL")


def make_services_dir(directory: Path) -> Path:
    """``directory`` filled with what the seed reads: a few agencies of the demo file in ``agencies.json`` (setting up
    83 CMS workspaces per test would make the suite crawl), and three services of two of them."""
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    data["agencies"] = [entry for entry in data["agencies"] if entry["acronym"] in SMALL_SET]
    (directory / "agencies.json").write_text(json.dumps(data), encoding="utf-8")
    gobcol = copy.deepcopy(SERVICE) | {
        "homoclave": "GOBCOL-01-001",
        "title": "Apostilla de documentos",
        "online_url": "",
        "digitization": 1,
        "resolution_days": 3,
        "silence_rule": "negativa",
        "offices": ["Palacio de Gobierno"],
        "fees": [{"concept": "Apostilla por documento", "amount_centavos": 52000}],
        "payment_info": "En la Recaudadora de Rentas",
    }
    write_services(directory, "SAT", [SERVICE, {**SERVICE, "homoclave": "SAT-01-002", "title": "e.firma"}], "federal")
    write_services(directory, "GOBCOL", [gobcol], "estatal")
    return directory


def seed(services_dir, *args, agencies_file=None) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        *args,
        services_dir=services_dir,
        agencies_file=agencies_file or services_dir / "agencies.json",
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def counts() -> dict:
    return {
        "agencies": Agency.objects.count(),
        "offices": Office.objects.count(),
        "services": ServicePage.objects.count(),
        "topics": Topic.objects.count(),
        "life_events": LifeEvent.objects.count(),
        "settlements": Settlement.objects.count(),
        "revisions": Revision.objects.count(),
    }
