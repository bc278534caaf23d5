import pytest
from django.test import override_settings

from portal.reports import casework
from portal.reports.tests.factories import close_report, file_report, make_entity, make_investigator

pytestmark = pytest.mark.django_db


@pytest.fixture
def salud():
    agency = make_entity("SALUD", "Secretaría de Salud")
    make_investigator(agency)
    return agency


@override_settings(PORTAL_PAGE_CACHE_SECONDS=300)
def test_participa_shows_the_counts_per_body_and_a_new_report_shows_at_once(
    client, salud, django_capture_on_commit_callbacks
):
    first = client.get("/participa/").content.decode()
    assert "0 denuncias recibidas" in first and "Secretaría de Salud" not in first
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_report(salud)
    page = client.get("/participa/").content.decode()
    assert "1 denuncia recibida" in page and "Secretaría de Salud" in page
    investigator = filed.report.wraps.first().investigator
    with django_capture_on_commit_callbacks(execute=True):
        casework.do_classify_in_scope(filed.report, investigator)
    assert "1 en investigación" in client.get("/participa/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        close_report(file_report(salud), outcome="Sanción.")
    assert "1 concluida" in client.get("/participa/").content.decode()


def test_the_counts_carry_nothing_of_a_report(client, salud):
    file_report(salud, what="Texto que no debe publicarse nunca.", person="Persona Denunciada")
    for path in ("/participa/", "/participa/denuncia/"):
        page = client.get(path).content.decode()
        assert "Texto que no debe publicarse" not in page and "Persona Denunciada" not in page
