"""A small catalogue for the search tests: a few entities and services with realistic names."""

from __future__ import annotations

import pytest

from portal.agencies.models import Level
from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service, make_topic
from testing.db import built_for_the_module, fresh


@pytest.fixture(scope="module")
def _catalogue_built(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker, _build_catalogue) as built:
        yield built


@pytest.fixture
def catalogue(_catalogue_built, db):
    """Two federal entities and a state one, with services that exercise accents, plurals and acronyms: built once
    per module (``testing.db``), each test's changes rolled back."""
    return fresh(_catalogue_built)


def _build_catalogue():
    identity = make_topic("Identidad", slug="identidad")
    health = make_topic("Salud", slug="salud")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores", description="Política exterior y pasaportes.")
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social", description="Seguridad social.")
    colima = make_agency("SEGOBCOL", level=Level.STATE, name="Secretaría General de Gobierno de Colima")
    renapo = make_agency("RENAPO", name="Registro Nacional de Población", description="Asigna la CURP.")
    services = {
        "passport": make_service(
            sre,
            homoclave="SRE-02-001",
            title="Expedición de pasaporte ordinario",
            description="Obtén tu pasaporte mexicano para viajar al extranjero.",
            keywords="pasaporte, viajar",
            annual_volume=2_000_000,
            topics=[identity],
        ),
        "passport_renewal": make_service(
            sre,
            homoclave="SRE-02-002",
            title="Renovación de pasaporte",
            description="Renueva tu pasaporte vencido.",
            annual_volume=500_000,
            topics=[identity],
        ),
        "clinic": make_service(
            imss,
            homoclave="IMSS-02-008",
            title="Cambio de clínica",
            description="Cambia tu Unidad de Medicina Familiar.",
            annual_volume=300_000,
            topics=[health],
        ),
        "pension": make_service(
            imss,
            homoclave="IMSS-01-001",
            title="Solicitud de pensión por cesantía",
            description="Trámite para pedir tu pensión.",
            annual_volume=100_000,
            topics=[health],
        ),
        "birth": make_service(
            colima,
            homoclave="SEGOBCOL-01-001",
            title="Copia certificada de acta de nacimiento",
            description="Trámite del registro civil de Colima para obtener tu acta.",
            keywords="partida de nacimiento, acta",
            annual_volume=80_000,
        ),
        "voter": make_service(
            colima,
            homoclave="SEGOBCOL-01-002",
            title="Constancia para la Credencial de elector",
            description="Constancia de residencia que pide el INE para tramitar la credencial.",
        ),
        "curp": make_service(
            renapo,
            homoclave="RENAPO-01-001",
            title="Consulta e impresión de la CURP",
            description="Consulta tu Clave Única de Registro de Población (CURP) e imprímela.",
            annual_volume=5_000_000,
            topics=[identity],
        ),
    }
    return {
        "sre": sre,
        "renapo": renapo,
        "imss": imss,
        "colima": colima,
        "identity": identity,
        "health": health,
        **services,
    }
