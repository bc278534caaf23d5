"""A small catalogue with one of everything the API must show or hide, built with the apps' own factories.

Building it publishes pages through Wagtail, which takes a couple of seconds, so it is built once per test module
inside a transaction that is rolled back when the module ends; each test runs in a savepoint within it (pytest-django's
``db``), so what a test changes is undone before the next one. Tests that change a row must re-read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from portal.agencies.models import Agency, AgencyKind, Level, Office
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.services.models import ServicePage
from portal.services.tests.factories import make_life_event, make_service, make_topic


@dataclass
class Catalogue:
    ssa: Agency
    imss: Agency
    movilidad: Agency
    ayuntamiento: Agency
    office_colima: Office
    office_manzanillo: Office
    office_closed: Office
    clinic: ServicePage
    licence: ServicePage
    phone_line: ServicePage
    draft: ServicePage
    withdrawn: ServicePage
    form: object

    @property
    def live(self) -> list[ServicePage]:
        return [self.clinic, self.licence, self.phone_line]


def _requirement(document: str, presentation: str = "original", copies: int | None = None, conditions: str = ""):
    value = {"document": document, "presentation": presentation, "copies": copies, "conditions": conditions}
    return {"type": "requirement", "value": value}


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_catalogue()
        try:
            yield built
        finally:
            built.form.file.delete(save=False)
            transaction.set_rollback(True)


def build_catalogue() -> Catalogue:
    ssa = make_agency("SSA", name="Secretaría de Salud", kind=AgencyKind.SECRETARIAT)
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social", short_name="Seguro Social", sector=ssa)
    movilidad = make_agency("SMCOL", level=Level.STATE, name="Secretaría de Movilidad de Colima")
    ayuntamiento = make_agency(
        "COLMUN", level=Level.MUNICIPAL, name="Ayuntamiento de Colima", kind=AgencyKind.MUNICIPALITY
    )
    colima = make_municipality("06002", "Colima")
    manzanillo = make_municipality("06007", "Manzanillo")
    office_colima = make_office(imss, "Subdelegación Colima", municipality=colima)
    office_manzanillo = make_office(
        imss,
        "UMF 18 Manzanillo",
        municipality=manzanillo,
        latitude=Decimal("19.052345"),
        longitude=Decimal("-104.315678"),
        postal_code="28200",
    )
    office_closed = make_office(imss, "Oficina cerrada", is_active=False)
    health = make_topic("Salud", "salud")
    transport = make_topic("Transporte y vehículos", "transporte")
    baby = make_life_event()
    vehicle = make_life_event("Tener un vehículo", "tener-un-vehiculo")
    form = get_document_model()(title="Formato de cambio", file=ContentFile(b"%PDF-1.4 prueba", name="cambio.pdf"))
    form.save()

    clinic = make_service(
        imss,
        homoclave="IMSS-02-008",
        title="Cambio de Unidad de Medicina Familiar",
        description="Cambia tu clínica cuando te mudas.",
        result="Asignación a la nueva clínica",
        topics=[health],
        life_events=[baby],
        offices=[office_colima, office_manzanillo, office_closed],
        online_url="https://serviciosdigitales.imss.gob.mx/cambio",
        in_person=True,
        resolution_days=0,
        silence_rule="no_aplica",
        digitization=5,
        annual_volume=1_200_000,
        citizen_minutes=15,
        keywords="cambio de clínica, UMF",
        cases=[{"type": "case", "value": "Cuando cambias de domicilio"}],
        steps=[{"type": "step", "value": "Ingresa al portal"}, {"type": "step", "value": "Elige tu nueva clínica"}],
        requirements=[_requirement("CURP", "dato"), _requirement("Comprobante de domicilio", "copia", copies=1)],
        legal_basis=[
            {
                "type": "legal_basis",
                "value": {
                    "law": "Ley del Seguro Social",
                    "articles": "Artículo 91",
                    "url": "https://www.diputados.gob.mx/",
                },
            }
        ],
        formats=[
            {"type": "document", "value": {"title": "Solicitud de cambio", "document": form.pk}},
            {"type": "link", "value": {"title": "Formato en línea", "url": "https://www.imss.gob.mx/formato"}},
        ],
    )
    licence = make_service(
        movilidad,
        homoclave="SMCOL-01-001",
        title="Licencia de conducir",
        topics=[transport],
        life_events=[vehicle],
        fees=[
            {"type": "fee", "value": {"concept": "Licencia, 3 años", "amount": 85_000}},
            {"type": "fee", "value": {"concept": "Examen", "amount": 12_050}},
        ],
        payment_info="En las cajas de la Secretaría",
        resolution_days=1,
    )
    phone_line = make_service(
        ayuntamiento,
        homoclave="COLMUN-01-001",
        title="Reporte de alumbrado público",
        in_person=False,
        phone_channel="+52 312 316 2000",
        silence_rule="afirmativa",
    )
    draft = make_service(imss, homoclave="IMSS-01-900", title="Borrador sin publicar", publish=False)
    withdrawn = make_service(imss, homoclave="IMSS-01-901", title="Trámite retirado")
    withdrawn.unpublish()
    return Catalogue(
        ssa=ssa,
        imss=imss,
        movilidad=movilidad,
        ayuntamiento=ayuntamiento,
        office_colima=office_colima,
        office_manzanillo=office_manzanillo,
        office_closed=office_closed,
        clinic=clinic,
        licence=licence,
        phone_line=phone_line,
        draft=draft,
        withdrawn=withdrawn,
        form=form,
    )
