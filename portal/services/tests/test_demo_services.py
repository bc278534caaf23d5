import copy
import json

import pytest
from wagtail.models import Revision

from portal.agencies.tests.factories import make_agency, make_office
from portal.services.management.demo_services import (
    ServiceDataError,
    do_load_services,
    read_service_files,
    service_files,
)
from portal.services.models import ServicePage
from portal.services.tests.factories import make_life_event, make_topic

SERVICE = {
    "homoclave": "IMSS-02-008",
    "title": "Cambio de Unidad de Medicina Familiar",
    "description": "Te permite atenderte en la clínica más cercana a tu nuevo domicilio.",
    "result": "Asignación a la nueva Unidad de Medicina Familiar",
    "audience": "persona",
    "cases": ["Cuando cambias de domicilio"],
    "requirements": [
        {"document": "CURP", "presentation": "dato", "copies": None, "conditions": ""},
        {
            "document": "Comprobante de domicilio no mayor a 3 meses",
            "presentation": "original",
            "copies": None,
            "conditions": "Recibo de luz, agua, teléfono o predial",
        },
    ],
    "steps": ["Ingresa a IMSS Digital", "Captura tu nuevo domicilio", "Descarga tu comprobante"],
    "formats": [{"title": "Formato de cambio de clínica", "url": "https://www.gob.mx/imss/formato"}],
    "legal_basis": [{"law": "Ley del Seguro Social", "articles": "Artículo 91", "url": ""}],
    "online_url": "https://serviciosdigitales.imss.gob.mx/",
    "in_person": True,
    "phone_channel": "800 623 2323",
    "fees": [],
    "payment_info": "",
    "resolution_days": 0,
    "silence_rule": "no_aplica",
    "validity": "Indefinida",
    "offices": "all",
    "contact": "Teléfono 800 623 2323",
    "complaints": "Órgano Interno de Control en el IMSS",
    "topics": ["salud", "seguridad-social"],
    "life_events": ["mudarse"],
    "digitization": 5,
    "annual_volume": 1200000,
    "citizen_minutes": 15,
    "keywords": "cambio de clínica, UMF",
}


def service(**changes) -> dict:
    data = copy.deepcopy(SERVICE)
    data.update(changes)
    return data


def write(base, acronym, services, level="federal"):
    folder = base / level
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{acronym}.json"
    path.write_text(json.dumps({"agency": acronym, "services": services}, ensure_ascii=False, indent=2), "utf-8")
    return path


@pytest.fixture
def imss(db):
    make_topic("Salud", "salud")
    make_topic("Seguridad social y pensiones", "seguridad-social")
    make_life_event("Cambiar de domicilio", "mudarse")
    agency = make_agency("IMSS")
    make_office(agency, "Delegación Colima")
    make_office(agency, "Subdelegación Manzanillo")
    return agency


def load(base):
    return do_load_services(read_service_files(service_files(base)))


def problems_of(base) -> str:
    with pytest.raises(ServiceDataError) as error:
        read_service_files(service_files(base))
    return str(error.value)


def test_a_service_file_becomes_a_published_sheet(imss, tmp_path):
    write(tmp_path, "IMSS", [service(fees=[{"concept": "Reposición", "amount_centavos": 12550}])])

    result = load(tmp_path)

    assert (result.created, result.updated) == (1, 0)
    page = ServicePage.objects.get(homoclave="IMSS-02-008")
    assert page.live and page.agency == imss
    assert page.get_parent().specific.agency == imss
    assert page.fee_list == [{"concept": "Reposición", "amount_centavos": 12550}]
    assert [block.value["document"] for block in page.requirements] == [
        "CURP",
        "Comprobante de domicilio no mayor a 3 meses",
    ]
    assert [(block.block_type, block.value["url"]) for block in page.formats] == [
        ("link", "https://www.gob.mx/imss/formato")
    ]
    assert {office.name for office in page.offices.all()} == {"Delegación Colima", "Subdelegación Manzanillo"}
    assert sorted(page.topics.values_list("slug", flat=True)) == ["salud", "seguridad-social"]
    assert list(page.life_events.values_list("slug", flat=True)) == ["mudarse"]
    assert not page.is_free and page.channel_online and page.channel_phone


def test_loading_the_same_files_twice_writes_no_revision(imss, tmp_path):
    write(tmp_path, "IMSS", [service(), service(homoclave="IMSS-02-009", title="Otro", offices=["Delegación Colima"])])
    load(tmp_path)
    revisions = Revision.objects.count()

    result = load(tmp_path)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Revision.objects.count() == revisions
    assert ServicePage.objects.count() == 2


def test_a_changed_file_publishes_one_new_revision(imss, tmp_path):
    write(tmp_path, "IMSS", [service()])
    load(tmp_path)
    write(tmp_path, "IMSS", [service(steps=["Llama al 800 623 2323"])])

    result = load(tmp_path)

    assert result.updated == 1
    page = ServicePage.objects.get(homoclave="IMSS-02-008")
    assert [block.value for block in page.steps] == ["Llama al 800 623 2323"]
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 2


def test_a_bad_homoclave_is_named_with_its_file(imss, tmp_path):
    write(tmp_path, "IMSS", [service(homoclave="IMSS-2-008")])
    message = problems_of(tmp_path)
    assert "federal/IMSS.json · IMSS-2-008: homoclave inválida" in message


def test_a_homoclave_of_another_agency_is_refused(imss, tmp_path):
    write(tmp_path, "IMSS", [service(homoclave="SAT-02-008")])
    assert "SAT-02-008: la homoclave debe empezar con las siglas de la institución del archivo: IMSS-" in problems_of(
        tmp_path
    )


def test_a_repeated_homoclave_is_refused(imss, tmp_path):
    write(tmp_path, "IMSS", [service(), service(title="Copia")])
    assert "IMSS-02-008: homoclave repetida" in problems_of(tmp_path)


def test_silence_rule_must_match_the_resolution_time(imss, tmp_path):
    write(
        tmp_path,
        "IMSS",
        [
            service(resolution_days=10, silence_rule="no_aplica"),
            service(homoclave="IMSS-02-009", resolution_days=0, silence_rule="afirmativa"),
        ],
    )
    message = problems_of(tmp_path)
    assert "IMSS-02-008: silence_rule «no_aplica» solo vale con resolución inmediata" in message
    assert "IMSS-02-009: con resolution_days 0 (resolución inmediata) silence_rule es «no_aplica»" in message


def test_unknown_topics_life_events_and_offices_are_named(imss, tmp_path):
    write(tmp_path, "IMSS", [service(topics=["deportes"], life_events=["graduarse"], offices=["Oficina Marte"])])
    message = problems_of(tmp_path)
    assert "topics: no existen deportes" in message
    assert "life_events: no existen graduarse" in message
    assert "la oficina «Oficina Marte» no es de IMSS" in message


def test_fees_are_integer_centavos(imss, tmp_path):
    write(tmp_path, "IMSS", [service(fees=[{"concept": "Derecho", "amount_centavos": 1645.5}])])
    assert "«amount_centavos» es un entero de centavos" in problems_of(tmp_path)


def test_missing_and_unknown_fields_are_listed(imss, tmp_path):
    broken = service(tramite_nuevo=True)
    del broken["steps"]
    write(tmp_path, "IMSS", [broken])
    message = problems_of(tmp_path)
    assert "IMSS-02-008: faltan campos: steps." in message
    assert "campos desconocidos: tramite_nuevo" in message


def test_online_application_needs_an_online_address(imss, tmp_path):
    write(tmp_path, "IMSS", [service(online_url="", digitization=3)])
    assert "hace falta online_url" in problems_of(tmp_path)


def test_every_problem_of_every_file_is_reported_at_once(imss, tmp_path):
    write(tmp_path, "IMSS", [service(audience="nadie"), service(homoclave="IMSS-02-010", digitization=9)])
    write(tmp_path, "NOEXISTE", [service(homoclave="NOEXISTE-01-001")])
    message = problems_of(tmp_path)
    assert "IMSS-02-008: audience «nadie»" in message
    assert "IMSS-02-010: digitization es un número entero entre 1 y 5" in message
    assert "federal/NOEXISTE.json: la institución «NOEXISTE» no existe" in message


def test_a_file_in_the_wrong_level_folder_is_refused(imss, tmp_path):
    write(tmp_path, "IMSS", [service()], level="municipal")
    assert "su archivo va en demo_data/federal/" in problems_of(tmp_path)


def test_invalid_json_is_reported_with_its_line(imss, tmp_path):
    (tmp_path / "federal").mkdir()
    (tmp_path / "federal" / "IMSS.json").write_text('{"agency": "IMSS",\n "services": [,]}', "utf-8")
    assert "federal/IMSS.json: JSON inválido en la línea 2" in problems_of(tmp_path)
