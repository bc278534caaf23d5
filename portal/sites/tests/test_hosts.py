"""A state or municipal government's site on its own host name (colima.gob.mx pointed at the portal), tried with a
Host header on 127.0.0.1: its pages at the root, the national header kept, the portal's own addresses sent to the
portal, and nothing mixed up in the page cache or in the links the portal writes elsewhere."""

from __future__ import annotations

import io

import pytest
from defusedxml import ElementTree as ET
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.sites.actions import check_host_name, do_retire_page, do_serve_agency_site_on_host
from portal.sites.models import ContentPage, RetirementKind
from portal.sites.queries import search_records
from testing.cms import make_staff_user

from .factories import home_of, make_content_page, make_news

HOST = "colima.gob.mx"


@pytest.fixture
def colima(db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", HOST]
    settings.PORTAL_BASE_URL = "https://www.gob.mx"
    agency = make_agency("AYCOLIMA", name="Ayuntamiento de Colima", slug="colima")
    make_news(agency, "Bacheo en el centro histórico")
    make_content_page(home_of(agency), "Predial", [{"type": "text", "value": "<p>Paga el predial en línea.</p>"}])
    do_serve_agency_site_on_host(agency, HOST, port=80)
    return agency


@pytest.fixture
def on_host():
    return Client(HTTP_HOST=HOST)


def test_the_entity_site_answers_at_the_root_of_its_host_with_the_national_header(colima, on_host):
    home = on_host.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "Ayuntamiento de Colima" in html
    # The portal's national header, as on /colima/, whose mark leads to the portal itself.
    assert '<a class="app-header__homepage-link" href="https://www.gob.mx/">' in html
    assert 'href="/predial/"' in html and 'href="/prensa/"' in html  # the site's own links, relative to its host

    predial = on_host.get("/predial/")
    assert predial.status_code == 200 and "Paga el predial en línea." in predial.content.decode()
    # The entity's own press room wins over the portal's news of every entity, which is also at /prensa/.
    press = on_host.get("/prensa/")
    assert press.status_code == 200
    assert "Bacheo en el centro histórico" in press.content.decode()
    assert on_host.get("/en/predial/").status_code == 200


def test_the_portals_own_addresses_go_to_the_portals_host(colima, on_host):
    for path in ("/tramites/", "/busqueda/?q=predial", "/cuenta/entrar/", "/admin/", "/en/tramites/"):
        response = on_host.get(path)
        assert response.status_code == 301, path
        assert response.headers["Location"] == f"https://www.gob.mx{path}"


def test_an_unknown_address_on_the_host_is_a_404_not_the_portals(colima, on_host):
    assert on_host.get("/no-existe/").status_code == 404


def test_the_portal_keeps_serving_the_site_at_its_slug(colima):
    portal = Client()
    response = portal.get("/colima/predial/")
    assert response.status_code == 200
    assert 'href="/colima/prensa/"' in response.content.decode()


def test_each_host_has_its_own_copy_in_the_page_cache(colima, on_host):
    on_host.get("/")
    assert "Ayuntamiento de Colima" in on_host.get("/").content.decode()
    portal_home = Client().get("/")
    assert "Bacheo en el centro histórico" not in portal_home.content.decode() or portal_home.status_code == 200
    assert on_host.get("/").content != portal_home.content


def test_the_hosts_sitemap_lists_the_entitys_pages_at_the_hosts_addresses(colima, on_host):
    response = on_host.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [
        node.text for node in ET.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert f"http://{HOST}/predial/" in locations
    assert all(location.startswith(f"http://{HOST}/") for location in locations)
    assert not any("/colima/" in location for location in locations)


def test_links_the_portal_writes_without_a_request_point_to_the_entitys_host(colima):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_content_page(home_of(imss), "Incapacidades")
    urls = {record.title: record.url for record in search_records()}
    assert urls["Predial"] == "http://colima.gob.mx/predial/"
    assert urls["Incapacidades"] == "/imss/incapacidades/"  # the portal's own pages stay relative


def test_a_host_name_used_by_another_entity_is_refused(colima):
    villa = make_agency("AYVILLA", name="Ayuntamiento de Villa de Álvarez", slug="villa-de-alvarez")
    with pytest.raises(ValidationError, match="ya lo usa otro sitio"):
        do_serve_agency_site_on_host(villa, HOST, port=80)
    assert do_serve_agency_site_on_host(colima, HOST, port=80).root_page_id == home_of(colima).pk  # idempotent


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("https://colima.gob.mx", "sin «https://»"),
        ("colima.gob.mx/inicio", "sin «https://»"),
        ("colima", "no es un nombre de servidor válido"),
        ("colima..gob.mx", "no es un nombre de servidor válido"),
        ("-colima.gob.mx", "no es un nombre de servidor válido"),
    ],
)
def test_a_malformed_host_name_is_refused_with_a_reason(written, message):
    with pytest.raises(ValidationError, match=message):
        check_host_name(written)


@given(st.text(max_size=80))
def test_check_host_name_either_accepts_a_clean_name_or_explains(text):
    try:
        name = check_host_name(text)
    except ValidationError as error:
        assert error.messages and error.messages[0]
    else:
        assert name == name.lower().strip() and "." in name and "/" not in name


def test_the_command_serves_a_site_on_its_host_and_explains_a_refusal(db):
    make_agency("AYCOLIMA", name="Ayuntamiento de Colima", slug="colima")
    out = io.StringIO()
    call_command("serve_site_on_host", "colima", "Colima.gob.mx", "--port", "80", stdout=out)
    assert "Ayuntamiento de Colima se sirve en http://colima.gob.mx/" in out.getvalue()
    with pytest.raises(CommandError, match="No hay una institución activa con la dirección «tlaxcala»"):
        call_command("serve_site_on_host", "tlaxcala", "tlaxcala.gob.mx")
    with pytest.raises(CommandError, match="sin «https://»"):
        call_command("serve_site_on_host", "colima", "https://colima.gob.mx")


def test_an_address_with_a_nul_byte_is_not_found_on_either_host(colima, on_host):
    assert on_host.get("/no%00existe/").status_code == 404
    assert Client().get("/colima/no%00existe/").status_code == 404


@pytest.fixture
def colima_approver(colima):
    return make_staff_user("aprobador_colima", (colima, "approver"))


def test_a_moved_page_redirects_on_the_entitys_host_and_on_the_portal(colima, colima_approver, on_host):
    predial = ContentPage.objects.get(slug="predial")
    new = make_content_page(home_of(colima), "Predial en línea", slug="predial-en-linea")
    do_retire_page(colima_approver, predial, RetirementKind.MOVED, "El trámite se explica en otra página.", new)

    on_the_host = on_host.get("/predial/")
    assert on_the_host.status_code == 301 and on_the_host["Location"].endswith("/predial-en-linea/")
    on_the_portal = Client().get("/colima/predial/")
    # To the new page's canonical address, which is on the entity's host, as every link the portal writes to it.
    assert on_the_portal.status_code == 301 and on_the_portal["Location"] == f"http://{HOST}/predial-en-linea/"


def test_a_gone_page_answers_410_on_the_entitys_host_with_its_archive_on_the_portal(colima, colima_approver, on_host):
    predial = ContentPage.objects.get(slug="predial")
    retirement = do_retire_page(colima_approver, predial, RetirementKind.GONE, "El predial ya no se paga aquí.")
    assert retirement.path == "/colima/predial/"

    gone = on_host.get("/predial/")
    assert gone.status_code == 410
    archive = f"https://www.gob.mx/colima/archivo/{predial.pk}/"
    assert f'href="{archive}"' in gone.content.decode()
    portal = Client()
    assert portal.get("/colima/predial/").status_code == 410
    assert f'href="/colima/archivo/{predial.pk}/"' in portal.get("/colima/predial/").content.decode()
    assert "Paga el predial en línea." in portal.get(f"/colima/archivo/{predial.pk}/").content.decode()
