"""Requests to an entity's old host name, answered from its map through the real middleware stack."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import actions
from portal.sites.legacy.models import MappingStatus, SiteRule, UrlMapping
from portal.sites.tests.factories import home_of, make_content_page

OLD_HOST = "www.profeco.gob.mx"


@pytest.fixture
def profeco(db):
    return make_agency("PROFECO", name="Procuraduría Federal del Consumidor")


@pytest.fixture
def site(profeco):
    return actions.do_register_legacy_site(profeco, f"https://{OLD_HOST}/", [OLD_HOST, "profeco.gob.mx"])


@pytest.fixture
def old_host():
    return Client(HTTP_HOST=OLD_HOST)


def add(site, path: str, **fields) -> UrlMapping:
    return UrlMapping.objects.create(site=site, old_path=path, **fields)


def test_a_mapped_address_is_a_permanent_redirect_to_the_new_page_on_the_portal(site, profeco, old_host, settings):
    page = make_content_page(home_of(profeco), "Presentar una queja")
    add(site, "/servicios/quejas.html", status=MappingStatus.REDIRECT, target_page=page)
    response = old_host.get("/servicios/quejas.html")
    assert response.status_code == 301
    assert response["Location"] == f"{settings.PORTAL_BASE_URL}/profeco/presentar-una-queja/"


def test_the_old_host_name_is_accepted_whatever_its_case_and_port(site, profeco):
    add(site, "/", status=MappingStatus.REDIRECT, target_page=home_of(profeco))
    response = Client(HTTP_HOST="PROFECO.gob.mx:80").get("/")
    assert response.status_code == 301 and response["Location"].endswith("/profeco/")


def test_an_index_file_and_its_directory_are_one_address(site, profeco, old_host):
    add(site, "/prensa/", status=MappingStatus.REDIRECT, target_path="/profeco/prensa/")
    assert old_host.get("/prensa/index.html")["Location"].endswith("/profeco/prensa/")


def test_an_old_document_leads_to_its_copy_in_the_portal(site, old_host, settings):
    add(site, "/documentos/formato.pdf", status=MappingStatus.REDIRECT, target_path="/documentos/3/formato.pdf")
    assert old_host.get("/documentos/formato.pdf")["Location"] == f"{settings.PORTAL_BASE_URL}/documentos/3/formato.pdf"


def test_an_archived_address_answers_gone_with_its_copy_in_spanish(site, profeco, old_host, settings):
    suggestion = make_content_page(home_of(profeco), "Quejas")
    add(
        site,
        "/aviso-2019.html",
        status=MappingStatus.ARCHIVE,
        title="Aviso de suspensión de plazos",
        archived_html="<p>Se suspenden los plazos del 20 de diciembre.</p>",
        suggested_page=suggestion,
    )
    response = old_host.get("/aviso-2019.html")
    html = response.content.decode()
    assert response.status_code == 410
    assert "Aviso de suspensión de plazos" in html and "Se suspenden los plazos del 20 de diciembre." in html
    assert "Copia archivada" in html
    assert f'href="{settings.PORTAL_BASE_URL}/profeco/quejas/"' in html
    # The portal's layout, its links and assets on the portal's own address.
    assert f'href="{settings.PORTAL_BASE_URL}/tramites/"' in html and 'href="#contenido"' in html
    # Its styles and scripts are served on the old host too (same origin: no CORS needed).
    assert f'href="{settings.STATIC_URL}css/main.css"' in html
    assert f"form-action {settings.PORTAL_BASE_URL}" in response["Content-Security-Policy"]


def test_an_unknown_address_is_not_found_and_counted_for_the_dashboard(site, old_host):
    first = old_host.get("/tramites/antiguo.php?id=7")
    old_host.get("/tramites/antiguo.php?id=7")
    assert first.status_code == 404 and "se trasladó al portal" in first.content.decode()
    mapping = UrlMapping.objects.get(site=site, old_path="/tramites/antiguo.php?id=7")
    assert mapping.status == MappingStatus.UNRESOLVED and mapping.not_found_hits == 2


def test_a_redirect_to_a_page_not_yet_published_is_not_followed(site, profeco, old_host):
    page = make_content_page(home_of(profeco), "Borrador")
    page.unpublish()
    mapping = add(site, "/borrador.html", status=MappingStatus.REDIRECT, target_page=page)
    assert old_host.get("/borrador.html").status_code == 404
    mapping.refresh_from_db()
    assert mapping.not_found_hits == 1


def test_the_site_wide_rule_sends_what_has_no_destination_to_the_entitys_home(site, old_host, settings):
    actions.do_set_site_rule(site, SiteRule.HOME)
    response = old_host.get("/cualquier/cosa.html")
    assert response.status_code == 301 and response["Location"] == f"{settings.PORTAL_BASE_URL}/profeco/"
    assert not UrlMapping.objects.filter(site=site).exists()


def test_other_hosts_are_the_portal_as_usual(site, client):
    assert client.get("/profeco/").status_code == 200
    assert Client(HTTP_HOST="www.otro.gob.mx").get("/profeco/").status_code == 400  # not in ALLOWED_HOSTS


def test_a_form_sent_to_the_old_host_is_refused_without_error(site, old_host):
    assert old_host.post("/servicios/quejas.html", {"nombre": "x"}).status_code == 405


def test_a_host_of_another_site_is_refused_with_a_message(site):
    other = make_agency("SEP", name="Secretaría de Educación Pública")
    with pytest.raises(Exception, match="ya es de otro sitio anterior"):
        actions.do_register_legacy_site(other, "https://www.sep.gob.mx/", ["profeco.gob.mx"])


def test_the_map_of_the_home_page_is_json_free(site):
    # The hosts are stored as a JSON list, read back as a list (the middleware's table is built from it).
    assert json.loads(json.dumps(site.hosts)) == [OLD_HOST, "profeco.gob.mx"]
