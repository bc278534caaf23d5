"""What a visitor reads on an entity's site, through the real URL configuration and Wagtail's serving."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from defusedxml import ElementTree as ET
from django.core.exceptions import ValidationError
from django.test import Client

from portal.agencies.tests.factories import make_agency, make_office
from portal.services.models import Topic
from portal.services.tests.factories import make_service
from portal.sites.actions import do_set_up_agency_site
from portal.sites.models import AgencyHomePage, NewsIndexPage, NewsPage

from .factories import home_of, make_about_page, make_content_page, make_image, make_news, press_room_of

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social", description="Da seguridad social.")


@pytest.fixture
def client():
    return Client()


def test_every_entity_gets_a_published_home_and_press_room_at_its_address(imss, client):
    home = home_of(imss)
    assert home.live and home.url == "/imss/" and home.slug == "imss"
    assert press_room_of(imss).url == "/imss/prensa/"
    assert imss.get_absolute_url() == "/imss/"

    do_set_up_agency_site(imss)  # idempotent
    assert AgencyHomePage.objects.filter(agency=imss).count() == 1
    assert NewsIndexPage.objects.child_of(home).count() == 1
    assert client.get("/imss/").status_code == 200
    assert client.get("/imss/prensa/").status_code == 200


def test_directory_entry_redirects_permanently_to_the_site_home(imss, client):
    response = client.get("/gobierno/imss/")
    assert response.status_code == 301 and response["Location"] == "/imss/"
    english = client.get("/en/gobierno/imss/")
    assert english.status_code == 301 and english["Location"] == "/en/imss/"
    assert client.get("/gobierno/no-existe/").status_code == 404


def test_site_home_is_the_directory_entry_with_services_offices_and_news(imss, client):
    make_service(imss, homoclave="IMSS-02-008", title="Alta de beneficiarios")
    make_office(imss, name="Unidad de Medicina Familiar 19")
    make_news(imss, "Vacunación de invierno")
    home = home_of(imss)
    home.head_name, home.head_position = "Lucía Ramírez Soto", "Directora General"
    publish = home.save_revision()
    publish.publish()

    html = client.get("/imss/").content.decode()
    for text in (
        "Instituto Mexicano del Seguro Social",
        "Da seguridad social.",
        "Lucía Ramírez Soto",
        "Alta de beneficiarios",
        "Unidad de Medicina Familiar 19",
        "Vacunación de invierno",
        'href="/imss/prensa/"',
    ):
        assert text in html, text


def test_pages_say_when_they_were_last_updated_and_under_which_entity(imss, client):
    about = make_about_page(imss)
    html = client.get(about.url).content.decode()
    assert "Última actualización:" in html
    assert "Publicado por: Instituto Mexicano del Seguro Social" in html
    assert about.agency == imss
    # The way back: Inicio › Instituciones › the entity.
    assert '<a class="govuk-breadcrumbs__link" href="/imss/">Instituto Mexicano del Seguro Social</a>' in html


def test_about_page_lists_the_legal_framework_in_the_hierarchy_of_norms(imss, client):
    framework = [
        {"type": "instrument", "value": {"kind": "reglamento", "name": "Reglamento Interior del IMSS", "url": ""}},
        {"type": "instrument", "value": {"kind": "constitucion", "name": "Constitución Política", "url": ""}},
        {"type": "instrument", "value": {"kind": "ley", "name": "Ley del Seguro Social", "url": "https://example.mx"}},
    ]
    about = make_about_page(imss, legal_framework=json.dumps(framework))
    html = client.get(about.url).content.decode()
    assert html.index("Constitución Política") < html.index("Ley del Seguro Social") < html.index("Reglamento Interior")


def test_content_page_renders_the_design_system_components(imss, client):
    image = make_image(imss)
    body = [
        {"type": "heading", "value": {"text": "Cómo se paga", "level": "h2"}},
        {"type": "inset_text", "value": {"text": "<p>El pago llega a tu cuenta.</p>"}},
        {"type": "warning_text", "value": {"text": "Nunca pedimos tu contraseña."}},
        {"type": "details", "value": {"summary": "¿Y si no tengo cuenta?", "text": "<p>Acude a la oficina.</p>"}},
        {
            "type": "accordion",
            "value": {"sections": [{"heading": "Requisitos", "summary": "", "text": "<p>Tu CURP.</p>"}]},
        },
        {
            "type": "table",
            "value": {
                "caption": "Montos por semana",
                "columns": [{"type": "text", "heading": "Semana"}, {"type": "number", "heading": "Pesos"}],
                "rows": [{"values": ["Primera", "1250.50"]}],
            },
        },
        {"type": "call_to_action", "value": {"link": {"text": "Solicitar", "page": None, "url": "https://example.mx"}}},
        {
            "type": "related_links",
            "value": {"heading": "Relacionado", "links": [{"text": "Prensa", "page": None, "url": "https://e.mx"}]},
        },
        {"type": "image", "value": {"image": image.pk, "alt": "Una clínica por fuera", "caption": ""}},
    ]
    page = make_content_page(home_of(imss), "Incapacidades", body=body)
    html = client.get(page.url).content.decode()
    for fragment in (
        '<h2 class="govuk-heading-l">Cómo se paga</h2>',
        "govuk-inset-text",
        "govuk-warning-text",
        '<details class="govuk-details">',
        'data-module="govuk-accordion"',
        '<caption class="govuk-table__caption govuk-table__caption--m">Montos por semana</caption>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Pesos</th>',
        "1,250.5",
        'class="govuk-button govuk-button--start"',
        'alt="Una clínica por fuera"',
    ):
        assert fragment in html, fragment


def test_news_image_needs_its_text_alternative(imss):
    image = make_image(imss)
    news = NewsPage(title="Sin texto", summary="Resumen", main_image=image, main_image_alt=" ", agency=imss)
    with pytest.raises(ValidationError) as error:
        news.clean()
    assert "texto alternativo" in str(error.value)


def test_news_records_the_entity_it_was_published_under(imss):
    news = make_news(imss)
    assert news.agency == imss
    assert news.url.startswith("/imss/prensa/")


def test_english_pages_keep_their_links_in_english(imss, client):
    make_about_page(imss)
    html = client.get("/en/imss/").content.decode()
    assert 'href="/en/imss/que-hacemos/"' in html
    assert 'href="/en/imss/prensa/"' in html


# --- /prensa/: every entity's news ----------------------------------------------------------------------------------


@pytest.fixture
def news_world(imss):
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    health = Topic.objects.create(name="Salud", slug="salud")
    make_news(imss, "Vacunación de invierno", date=dt.date(2026, 11, 20), topics=[health])
    make_news(imss, "Nuevas guarderías", date=dt.date(2026, 8, 1))
    make_news(sre, "Pasaportes en domingo", date=dt.date(2026, 10, 5))
    return {"imss": imss, "sre": sre, "health": health}


def test_press_lists_every_entity_news_newest_first(news_world, client):
    html = client.get("/prensa/").content.decode()
    assert "3 noticias y comunicados" in html
    assert html.index("Vacunación de invierno") < html.index("Pasaportes en domingo") < html.index("Nuevas guarderías")


def test_press_filters_by_entity_topic_and_dates(news_world, client):
    assert "1 noticia o comunicado" in client.get("/prensa/?institucion=sre").content.decode()
    assert "Vacunación de invierno" in client.get("/prensa/?tema=salud").content.decode()
    for query in ("desde=2026-09-01&hasta=2026-10-31", "desde=1/9/2026&hasta=31/10/2026"):
        html = client.get(f"/prensa/?{query}").content.decode()
        assert "Pasaportes en domingo" in html and "Vacunación" not in html and "guarderías" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("institucion=no-existe", "Esa institución no tiene noticias publicadas"),
        ("tema=astrologia", "No existe ese tema"),
        ("desde=ayer", "Escriba la fecha inicial como día/mes/año"),
        ("desde=2026-12-01&hasta=2026-01-01", "La fecha final debe ser igual o posterior a la inicial."),
    ],
)
def test_press_explains_a_wrong_filter_in_spanish(news_world, client, query, message):
    response = client.get(f"/prensa/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_news_feeds_are_atom_newest_first(news_world, client):
    everything = ET.fromstring(client.get("/prensa/atom.xml").content)
    titles = [entry.find(f"{ATOM}title").text for entry in everything.iter(f"{ATOM}entry")]
    assert titles == ["Vacunación de invierno", "Pasaportes en domingo", "Nuevas guarderías"]

    response = client.get("/prensa/imss/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    entity = ET.fromstring(response.content)
    assert [entry.find(f"{ATOM}title").text for entry in entity.iter(f"{ATOM}entry")] == [
        "Vacunación de invierno",
        "Nuevas guarderías",
    ]
    assert client.get("/prensa/no-existe/atom.xml").status_code == 404
