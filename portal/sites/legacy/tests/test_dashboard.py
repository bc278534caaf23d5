"""«Migración de sitios» in the Wagtail admin: progress, runs, the map, and isolation between entities."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import actions
from portal.sites.legacy.models import ImportReportRow, ImportRun, MappingStatus, Outcome, UrlMapping
from portal.sites.tests.factories import home_of, make_content_page
from testing.clients import client_for
from testing.cms import make_staff_user


@pytest.fixture
def profeco(db):
    return make_agency("PROFECO", name="Procuraduría Federal del Consumidor")


@pytest.fixture
def sep(db):
    return make_agency("SEP", name="Secretaría de Educación Pública")


@pytest.fixture
def profeco_site(profeco):
    site = actions.do_register_legacy_site(profeco, "https://www.profeco.gob.mx/", ["www.profeco.gob.mx"])
    UrlMapping.objects.create(site=site, old_path="/", status=MappingStatus.REDIRECT, target_page=home_of(profeco))
    return site


@pytest.fixture
def sep_site(sep):
    site = actions.do_register_legacy_site(sep, "https://www.sep.gob.mx/", ["www.sep.gob.mx"])
    UrlMapping.objects.create(site=site, old_path="/becas.html", not_found_hits=12)
    return site


@pytest.fixture
def portal_admin(db):
    user = make_staff_user("admin_portal")
    do_grant_portal_admin(user)
    return user


def url(name: str, *args) -> str:
    return reverse(f"legacy_sites:{name}", args=args)


def test_portal_admins_see_the_progress_across_entities_and_every_site(profeco_site, sep_site, portal_admin):
    response = client_for(portal_admin).get(url("index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 de 2 migrados" in html  # PROFECO has nothing unresolved; SEP has /becas.html
    assert "Procuraduría Federal del Consumidor" in html and "Secretaría de Educación Pública" in html


def test_an_entitys_editor_sees_only_its_own_legacy_site(profeco_site, sep_site, profeco, sep):
    editor = make_staff_user("editora_sep", (sep, "editor"))
    client = client_for(editor)
    html = client.get(url("index")).content.decode()
    assert "Secretaría de Educación Pública" in html and "Procuraduría Federal del Consumidor" not in html
    assert "0 de 1 migrados" in html
    assert client.get(url("site", sep_site.pk)).status_code == 200
    assert client.get(url("site", profeco_site.pk)).status_code == 404
    assert client.get(url("export", profeco_site.pk)).status_code == 404
    mapping = profeco_site.mappings.get()
    assert client.post(url("reject", mapping.pk)).status_code == 404


def test_staff_without_a_role_in_any_entity_have_no_dashboard(profeco_site):
    assert client_for(make_staff_user("nadie")).get(url("index")).status_code in (302, 403)


def test_the_site_page_shows_the_404_counts_and_filters_by_status(sep_site, portal_admin):
    UrlMapping.objects.create(site=sep_site, old_path="/ok.html", status=MappingStatus.ARCHIVE)
    client = client_for(portal_admin)
    html = client.get(url("site", sep_site.pk)).content.decode()
    assert "/becas.html" in html and "<td>12</td>" in html
    filtered = client.get(url("site", sep_site.pk), {"estado": "archive"}).content.decode()
    assert "/ok.html" in filtered and "/becas.html" not in filtered


def test_a_suggestion_is_accepted_from_the_dashboard(sep_site, sep, portal_admin):
    page = make_content_page(home_of(sep), "Becas")
    mapping = sep_site.mappings.get()
    mapping.suggested_page = page
    mapping.suggestion_score = 80
    mapping.save()
    response = client_for(portal_admin).post(url("accept", mapping.pk), {"estado": "unresolved"})
    assert response.status_code == 302 and response["Location"].endswith("?estado=unresolved")
    mapping.refresh_from_db()
    assert mapping.status == MappingStatus.REDIRECT and mapping.target_page_id == page.pk
    assert mapping.reviewed_by == portal_admin


def test_the_run_report_lists_each_page_with_its_problems(profeco_site, portal_admin):
    run = ImportRun.objects.create(site=profeco_site, source="http://127.0.0.1/sitemap.xml", found=1)
    ImportReportRow.objects.create(
        run=run, url="http://www.profeco.gob.mx/a.html", outcome=Outcome.FAILED, reason="El servidor respondió 500."
    )
    ImportReportRow.objects.create(
        run=run,
        url="http://www.profeco.gob.mx/b.html",
        outcome=Outcome.IMPORTED,
        broken_links=["http://www.profeco.gob.mx/x.html"],
        images_without_alt=2,
    )
    html = client_for(portal_admin).get(url("run", run.pk)).content.decode()
    assert "El servidor respondió 500." in html and "http://www.profeco.gob.mx/x.html" in html and "<td>2</td>" in html


def test_the_map_is_exported_and_imported_from_the_dashboard(sep_site, portal_admin):
    client = client_for(portal_admin)
    exported = client.get(url("export", sep_site.pk))
    assert exported["Content-Type"].startswith("text/csv") and b"/becas.html,unresolved" in exported.content

    good = SimpleUploadedFile("mapa.csv", b"direccion_anterior,estado,destino\n/becas.html,redirect,/sep/\n")
    assert client.post(url("import", sep_site.pk), {"file": good}).status_code == 302
    assert sep_site.mappings.get().target_path == "/sep/"

    bad = SimpleUploadedFile("mapa.csv", b"direccion_anterior,estado,destino\n/becas.html,perdida,\n")
    response = client.post(url("import", sep_site.pk), {"file": bad})
    assert response.status_code == 400
    assert "Línea 2: el estado «perdida» no es redirect, archive ni unresolved." in response.content.decode()
    latin = SimpleUploadedFile("mapa.csv", "direccion_anterior,estado,destino\n/añil,archive,\n".encode("latin-1"))
    assert "no está en UTF-8" in client.post(url("import", sep_site.pk), {"file": latin}).content.decode()
    assert sep_site.mappings.get().target_path == "/sep/"  # nothing lost


def test_the_site_settings_mark_it_done(sep_site, portal_admin):
    client_for(portal_admin).post(url("settings", sep_site.pk), {"site_rule": "home", "marked_done": "on"})
    sep_site.refresh_from_db()
    assert sep_site.marked_done and sep_site.site_rule == "home"
    assert "1 de 1 migrados" in client_for(portal_admin).get(url("index")).content.decode()
