"""Programmes, document collections and contact pages: what a visitor reads, and what an editor may save.

Pages are served through the real URL configuration; editors' input goes through the admin's add view with the HTTP
client, as a person in the browser would.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, streamfield

from portal.agencies.tests.factories import make_agency, make_office
from portal.services.tests.factories import make_service
from portal.sites.models import ContactPage, ProgrammePage
from testing.clients import client_for
from testing.cms import make_staff_user

from .factories import (
    home_of,
    make_contact_page,
    make_content_page,
    make_document,
    make_document_collection,
    make_programme,
)


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def client():
    return Client()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


# --- Programmes ------------------------------------------------------------------------------------------------------


def test_a_programme_shows_its_objective_population_rules_budget_and_services(imss, client):
    service = make_service(imss, homoclave="IMSS-02-066-M", title="Cambio de clínica")
    programme = make_programme(
        home_of(imss),
        "Guarderías del IMSS",
        objective="Cuidar a las niñas y los niños mientras sus madres y padres trabajan.",
        population="Hijas e hijos de personas aseguradas, de 43 días a 4 años.",
        rules_url="https://www.dof.gob.mx/reglas-guarderias",
        rules_date=dt.date(2026, 1, 15),
        budget=[(2026, 1_234_567_890_12), (2025, 123450)],
        services=[service],
    )
    assert programme.url == "/imss/guarderias-del-imss/" and programme.agency == imss and programme.show_in_menus

    html = main_of(client.get(programme.url).content.decode())
    assert html.count("<h1") == 1
    for text in (
        "Cuidar a las niñas y los niños",
        "de 43 días a 4 años",
        'href="https://www.dof.gob.mx/reglas-guarderias"',
        'datetime="2026-01-15"',
        "Cambio de clínica",
        'class="govuk-table"',
    ):
        assert text in html, text
    # Years in order, amounts as pesos in numeric cells.
    cells = re.findall(r'govuk-table__cell--numeric">([^<]+)<', html)
    assert cells == ["$1,234.50", "$1,234,567,890.12"]
    assert html.index(">2025<") < html.index(">2026<")


def test_a_list_of_programmes_is_a_content_page_whose_children_they_are(imss, client):
    programmes = make_content_page(home_of(imss), "Programas", slug="programas")
    make_programme(programmes, "Guarderías", show_in_menus=True)
    html = client.get("/imss/programas/").content.decode()
    assert 'href="/imss/programas/guarderias/"' in html
    assert client.get("/imss/programas/guarderias/").status_code == 200


@pytest.fixture
def imss_approver(imss):
    return make_staff_user("aprobador_imss", (imss, "approver"))


def programme_form(budget, **overrides) -> dict:
    values = {
        "title": "Guarderías",
        "slug": "guarderias",
        "objective": "Cuidar a las niñas y los niños.",
        "population": "Hijas e hijos de personas aseguradas.",
        "rules_document": "",
        "rules_url": "",
        "rules_date": "",
        "budget": streamfield([("year", {"year": year, "amount": amount}) for year, amount in budget]),
        "related_services": streamfield([]),
        "body": streamfield([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    values.update(overrides)
    return nested_form_data(values)


def add_programme(user, parent, form: dict):
    return client_for(user).post(
        f"/admin/pages/add/agency_sites/programmepage/{parent.pk}/", {**form, "action-publish": "1"}
    )


def errors_of(response, field: str) -> str:
    error = response.context["form"].errors[field].as_data()[0]
    return json.dumps(error.as_json_data(), ensure_ascii=False)


def test_budget_typed_in_pesos_is_stored_in_centavos_and_shown_as_pesos(imss, imss_approver, client):
    response = add_programme(imss_approver, home_of(imss), programme_form([(2026, "1234.50"), (2025, "1,000")]))
    assert response.status_code == 302, response.content.decode()[:3000]

    page = ProgrammePage.objects.get(slug="guarderias")
    assert not page.live  # its author does not publish it (review.py): another approver does
    page.get_latest_revision().publish()
    page = ProgrammePage.objects.get(slug="guarderias")
    assert [block.value["amount"] for block in page.budget] == [123450, 100000]  # integer centavos, as typed
    assert page.budget_by_year == [{"year": 2025, "amount": 100000}, {"year": 2026, "amount": 123450}]
    html = client.get(page.url).content.decode()
    assert "$1,234.50" in html and "$1,000.00" in html


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ([(1989, "100.00")], "Escriba un año entre 1990 y 2100."),
        ([(2101, "100.00")], "Escriba un año entre 1990 y 2100."),
        ([(2026, "-5.00")], "El monto no puede ser negativo."),
        ([(2026, "mil pesos")], "Escriba el monto en pesos, con números"),
        ([(2026, "10.00"), (2026, "20.00")], "Ya hay un monto para el año 2026."),
    ],
)
def test_a_wrong_budget_is_refused_in_spanish_and_nothing_is_saved(imss, imss_approver, budget, message):
    response = add_programme(imss_approver, home_of(imss), programme_form(budget))

    assert response.status_code == 200
    assert message in errors_of(response, "budget")
    assert not ProgrammePage.objects.exists()


def test_rules_of_operation_are_a_document_or_an_address_not_both(imss, imss_approver):
    document = make_document(imss, "Reglas de operación 2026")
    form = programme_form([], rules_url="https://www.dof.gob.mx/", rules_document=str(document.pk))

    response = add_programme(imss_approver, home_of(imss), form)

    assert response.status_code == 200
    assert "no ambos" in str(response.context["form"].errors["rules_url"])
    assert not ProgrammePage.objects.exists()


# --- Document collections ---------------------------------------------------------------------------------------------


def test_documents_are_listed_newest_first_with_the_accessible_format_first(imss, client):
    pdf = make_document(imss, "Informe anual 2025", "pdf", b"%PDF-1.4 " + b"x" * 2048)
    csv = make_document(imss, "Informe anual 2025 datos", "csv", b"a,b\r\n1,2\r\n")
    old = make_document(imss, "Convocatoria 2024", "pdf")
    newest = make_document(imss, "Formato de solicitud", "odt", b"odt")
    collection = make_document_collection(
        home_of(imss),
        "Documentos",
        summary="Informes, convocatorias y formatos del IMSS.",
        documents=[
            ("Convocatoria de guarderías 2024", dt.date(2024, 3, 1), "convocatoria", [old]),
            ("Informe anual 2025", dt.date(2025, 12, 31), "informe", [pdf, csv]),
            ("Formato de solicitud", dt.date(2026, 2, 1), "formato", [newest]),
        ],
    )

    same_day = make_document_collection(
        home_of(imss),
        "Formatos",
        documents=[(name, dt.date(2026, 1, 1), "formato", [newest]) for name in ("Primero", "Segundo", "Tercero")],
    )
    assert [item["title"] for item in same_day.publications] == ["Primero", "Segundo", "Tercero"]  # editors' order
    assert [item["title"] for item in collection.publications] == [
        "Formato de solicitud",
        "Informe anual 2025",
        "Convocatoria de guarderías 2024",
    ]
    report = collection.publications[1]
    assert [file["format"] for file in report["files"]] == ["CSV", "PDF"]
    assert [file["accessible"] for file in report["files"]] == [True, False]

    html = main_of(client.get(collection.url).content.decode())
    assert html.count("<h1") == 1 and 'class="govuk-list' in html
    positions = [html.index(title) for title in ("Formato de solicitud", "Informe anual 2025", "Convocatoria de")]
    assert positions == sorted(positions)
    assert html.index(csv.url) < html.index(pdf.url)
    assert "Informe" in html and "Convocatoria" in html  # the kinds
    assert "(PDF, 2.0\xa0KB)" in html  # filesizeformat
    assert 'datetime="2025-12-31"' in html


def test_an_empty_document_collection_says_so(imss, client):
    collection = make_document_collection(home_of(imss), "Documentos")
    assert "Todavía no hay documentos" in client.get(collection.url).content.decode()


# --- Contact ---------------------------------------------------------------------------------------------------------


def test_the_contact_page_shows_the_channels_and_the_entity_offices(imss, client):
    make_office(imss, name="Subdelegación Colima")
    make_office(imss, name="Oficina cerrada", is_active=False)
    other = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    make_office(other, name="Delegación SRE Colima")
    contact = make_contact_page(
        imss,
        phone="800 623 2323",
        email="orientacion@imss.gob.mx",
        address="Av. Paseo de la Reforma 476, Ciudad de México",
        opening_hours="Lunes a viernes de 8:00 a 20:00",
        social_links=json.dumps(
            [
                {
                    "type": "network",
                    "value": {"network": "x", "account": "@Tu_IMSS", "url": "https://x.com/Tu_IMSS"},
                }
            ]
        ),
    )
    assert contact.url == "/imss/contacto/" and contact.show_in_menus

    html = main_of(client.get(contact.url).content.decode())
    for text in (
        'href="tel:8006232323"',
        'href="mailto:orientacion@imss.gob.mx"',
        "Av. Paseo de la Reforma 476",
        "Lunes a viernes de 8:00 a 20:00",
        'href="https://x.com/Tu_IMSS"',
        "X (Twitter): @Tu_IMSS",
        "Subdelegación Colima",
    ):
        assert text in html, text
    assert "Oficina cerrada" not in html and "Delegación SRE Colima" not in html
    assert html.count("<h1") == 1


def test_a_home_has_at_most_one_contact_page(imss):
    make_contact_page(imss)
    assert not ContactPage.can_create_at(home_of(imss))
    assert ContactPage.can_exist_under(home_of(imss))
    assert not ContactPage.can_exist_under(make_content_page(home_of(imss), "Guía"))


@pytest.mark.parametrize("model", ["programmepage", "documentcollectionpage", "contactpage"])
def test_an_editor_opens_the_add_form_of_each_new_page_type(imss, model):
    editor = make_staff_user("editora_imss", (imss, "editor"))
    response = client_for(editor).get(f"/admin/pages/add/agency_sites/{model}/{home_of(imss).pk}/")
    assert response.status_code == 200
