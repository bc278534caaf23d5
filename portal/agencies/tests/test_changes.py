"""Renames and mergers of entities: what moves, what is recorded, what old addresses answer, who published what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, Page, Workflow

from portal.agencies import queries
from portal.agencies.actions import do_grant_role, do_merge_agency, do_rename_agency
from portal.agencies.models import Agency, AgencyChange, ChangeKind, Office, Role, StaffRole
from portal.agencies.tests.factories import make_agency, make_office
from portal.search.actions import do_rebuild_index
from portal.search.models import Kind, SearchDocument
from portal.services.models import AgencyCataloguePage, ServicePage
from portal.services.tests.factories import make_service
from portal.sites.models import AboutPage, AgencyHomePage, ContentPage, NewsPage
from portal.sites.tests.factories import home_of, make_about_page, make_content_page, make_news, press_room_of
from testing.cms import make_staff_user

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2017, 5, 4, 17, 0, tzinfo=dt.UTC)
EFFECTIVE = dt.date(2018, 12, 1)


def _published_on(page, when: dt.datetime):
    """As if first published then (the demo and the migrations of old sites set it so)."""
    Page.objects.filter(pk=page.pk).update(first_published_at=when)
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def sedesol(db):
    return make_agency("SEDESOL", name="Secretaría de Desarrollo Social", slug="sedesol")


@pytest.fixture
def client():
    return Client()


def rename(agency, **fields):
    values = {
        "name": "Secretaría de Bienestar",
        "acronym": "BIENESTAR",
        "slug": "bienestar",
        "effective": EFFECTIVE,
        "by": None,
    }
    values.update(fields)
    return do_rename_agency(agency, **values)


# --- Renames -----------------------------------------------------------------------------------------------------------


def test_a_rename_keeps_the_entity_and_moves_its_site_to_the_new_address(sedesol, client):
    guide = make_content_page(home_of(sedesol), "Programas sociales", slug="programas")
    deep = make_content_page(guide, "Reglas", slug="reglas")
    news = make_news(sedesol, "Entrega de apoyos", slug="entrega")
    service = make_service(sedesol, homoclave="SEDESOL-01-001")

    change = rename(sedesol)

    agency = Agency.objects.get(pk=sedesol.pk)
    assert (agency.name, agency.acronym, agency.slug) == ("Secretaría de Bienestar", "BIENESTAR", "bienestar")
    assert (change.kind, change.before_name, change.before_acronym, change.before_slug) == (
        ChangeKind.RENAMED,
        "Secretaría de Desarrollo Social",
        "SEDESOL",
        "sedesol",
    )
    home = home_of(agency)
    assert (home.title, home.slug, home.url) == ("Secretaría de Bienestar", "bienestar", "/bienestar/")
    assert Page.objects.get(pk=deep.pk).url == "/bienestar/programas/reglas/"
    assert client.get("/bienestar/programas/reglas/").status_code == 200
    assert client.get(NewsPage.objects.get(pk=news.pk).url).status_code == 200
    # The homoclave and the sheet's address stay; the catalogue page takes the new name.
    assert ServicePage.objects.get(pk=service.pk).homoclave == "SEDESOL-01-001"
    assert AgencyCataloguePage.objects.get(agency=agency).title == "Secretaría de Bienestar"
    # One recorded row (the home) for the whole subtree, and no automatic redirect per page.
    assert change.pages.count() == 1
    assert not Redirect.objects.exists()


def test_the_old_address_redirects_every_page_by_prefix_in_both_languages(sedesol, client):
    guide = make_content_page(home_of(sedesol), "Programas sociales", slug="programas")
    make_content_page(guide, "Reglas", slug="reglas")
    rename(sedesol)

    for old, new in (
        ("/sedesol/", "/bienestar/"),
        ("/sedesol/programas/reglas/", "/bienestar/programas/reglas/"),
        ("/sedesol/prensa/?pagina=2", "/bienestar/prensa/?pagina=2"),
        ("/en/sedesol/programas/", "/en/bienestar/programas/"),
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
    # A page that never existed under the old address is still not found once redirected.
    assert client.get("/sedesol/no-existe/", follow=True).status_code == 404
    assert client.get("/gobierno/sedesol/")["Location"] == "/bienestar/"


def test_a_rename_renames_the_workspace(sedesol):
    editor = make_staff_user("editora", (sedesol, Role.EDITOR))
    rename(sedesol)
    assert not Group.objects.filter(name__startswith="SEDESOL").exists()
    assert editor.groups.filter(name="BIENESTAR · Editores").exists()
    assert Collection.objects.filter(name="BIENESTAR").exists()
    assert Workflow.objects.filter(name="Revisión BIENESTAR").exists()
    assert home_of(Agency.objects.get(pk=sedesol.pk)).get_workflow().name == "Revisión BIENESTAR"


def test_a_rename_reindexes_the_pages_at_their_new_address(sedesol, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        guide = make_content_page(home_of(sedesol), "Programas sociales", slug="programas")
    with django_capture_on_commit_callbacks(execute=True):
        rename(sedesol)
    document = SearchDocument.objects.get(kind=Kind.PAGE, object_id=guide.pk)
    assert document.url == "/bienestar/programas/"


def test_the_editor_publishes_under_the_new_slug_after_a_rename(sedesol):
    home = home_of(sedesol)
    home.mission = "Antes del cambio."
    home.save_revision().publish()
    rename(sedesol)
    home = home_of(Agency.objects.get(pk=sedesol.pk))
    draft = home.get_latest_revision_as_object()
    draft.mission = "Después del cambio."
    draft.save_revision().publish()
    home = AgencyHomePage.objects.get(pk=home.pk)
    assert (home.slug, home.title, home.mission) == ("bienestar", "Secretaría de Bienestar", "Después del cambio.")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"slug": "tramites"}, "slug", "ya usa para otra sección"),
        ({"slug": "Bienestar!"}, "slug", "solo letras minúsculas"),
        ({"acronym": "bien estar"}, "acronym", "mayúsculas"),
        ({"effective": dt.date(2100, 1, 1)}, "effective", "no puede ser futura"),
        ({"name": ""}, "name", "Escriba el nombre"),
    ],
)
def test_a_rename_with_bad_input_is_refused_in_spanish_and_changes_nothing(sedesol, fields, field, words):
    with pytest.raises(ValidationError) as refused:
        rename(sedesol, **fields)
    assert words in " ".join(refused.value.message_dict[field])
    assert Agency.objects.get(pk=sedesol.pk).slug == "sedesol"
    assert not AgencyChange.objects.exists()


def test_a_rename_may_not_take_another_entitys_name_acronym_address_or_former_address(sedesol):
    make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    with pytest.raises(ValidationError) as refused:
        rename(sedesol, name="Instituto Mexicano del Seguro Social", acronym="IMSS", slug="imss")
    assert set(refused.value.message_dict) == {"name", "acronym", "slug"}
    other = make_agency("SEP", name="Secretaría de Educación Pública", slug="sep")
    rename(other, name="Secretaría de Educación", acronym="SEDU", slug="educacion")
    with pytest.raises(ValidationError) as refused:
        rename(sedesol, slug="sep")
    assert "fue de otra institución" in refused.value.message_dict["slug"][0]


def test_a_rename_to_the_same_values_records_nothing(sedesol):
    with pytest.raises(ValidationError, match="no hay cambio"):
        rename(sedesol, name=sedesol.name, acronym=sedesol.acronym, slug=sedesol.slug)


# --- «Publicado por» -------------------------------------------------------------------------------------------------


def test_pages_published_before_a_rename_say_under_which_name(sedesol, client):
    old = _published_on(make_news(sedesol, "Apoyos de 2017", slug="apoyos-2017", date=dt.date(2017, 5, 4)), OLD)
    recent = make_news(sedesol, "Apoyos de hoy", slug="apoyos-hoy")
    rename(sedesol)

    agency = Agency.objects.get(pk=sedesol.pk)
    assert queries.name_on(agency, dt.date(2017, 5, 4)) == ("Secretaría de Desarrollo Social", "SEDESOL")
    assert queries.name_on(agency, EFFECTIVE) == ("Secretaría de Bienestar", "BIENESTAR")
    said = "Publicado por: Secretaría de Desarrollo Social (SEDESOL), hoy Secretaría de Bienestar"
    assert said in client.get(NewsPage.objects.get(pk=old.pk).url).content.decode()
    html = client.get(NewsPage.objects.get(pk=recent.pk).url).content.decode()
    assert "Publicado por: Secretaría de Bienestar</p>" in html and "), hoy " not in html
    listing = client.get("/prensa/").content.decode()
    assert "Publicado por Secretaría de Desarrollo Social (SEDESOL), hoy Secretaría de Bienestar" in listing
    feed = client.get("/prensa/atom.xml").content.decode()
    assert "<name>Secretaría de Desarrollo Social (SEDESOL), hoy Secretaría de Bienestar</name>" in feed
    assert "<name>Secretaría de Bienestar</name>" in feed


def test_two_renames_give_each_page_the_name_of_its_time(sedesol):
    rename(sedesol, name="Secretaría de Desarrollo", acronym="SEDES", slug="sedes", effective=dt.date(2010, 1, 1))
    rename(Agency.objects.get(pk=sedesol.pk))
    agency = Agency.objects.get(pk=sedesol.pk)
    assert queries.name_on(agency, dt.date(2005, 1, 1)) == ("Secretaría de Desarrollo Social", "SEDESOL")
    assert queries.name_on(agency, dt.date(2015, 1, 1)) == ("Secretaría de Desarrollo", "SEDES")
    assert queries.name_on(agency, dt.date(2020, 1, 1)) == ("Secretaría de Bienestar", "BIENESTAR")


# --- Mergers ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def merger_world(db):
    bienestar = make_agency("BIENESTAR", name="Secretaría de Bienestar", slug="bienestar")
    conac = make_agency("CONAC", name="Coordinación Nacional de Apoyos Comunitarios", slug="conac")
    make_content_page(home_of(bienestar), "Programas", slug="programas")
    make_about_page(bienestar)
    guide = make_content_page(home_of(conac), "Programas comunitarios", slug="programas")
    deep = make_content_page(guide, "Reglas", slug="reglas")
    about = make_about_page(conac)
    news = _published_on(make_news(conac, "Apoyos a cooperativas", slug="apoyos", date=dt.date(2017, 5, 4)), OLD)
    service = make_service(conac, homoclave="CONAC-01-001")
    make_office(bienestar, name="Delegación Colima")
    office = make_office(conac, name="Delegación Colima")
    editor = make_staff_user("editor-conac", (conac, Role.EDITOR))
    return {
        "bienestar": bienestar,
        "conac": conac,
        "guide": guide,
        "deep": deep,
        "about": about,
        "news": news,
        "service": service,
        "office": office,
        "editor": editor,
    }


def merge(world, **fields):
    values = {"effective": EFFECTIVE, "by": None}
    values.update(fields)
    return do_merge_agency(world["conac"], world["bienestar"], **values)


def test_a_merger_moves_pages_news_services_and_offices_to_the_receiver(merger_world, client):
    w = merger_world
    change = merge(w)

    news = NewsPage.objects.get(pk=w["news"].pk)
    assert news.get_parent().pk == press_room_of(w["bienestar"]).pk and news.url == "/bienestar/prensa/apoyos/"
    guide = ContentPage.objects.get(pk=w["guide"].pk)
    assert guide.url == "/bienestar/programas-2/"  # «programas» is taken under the receiver's home
    assert ContentPage.objects.get(pk=w["deep"].pk).url == "/bienestar/programas-2/reglas/"
    assert {news.agency_id, guide.agency_id, ContentPage.objects.get(pk=w["deep"].pk).agency_id} == {w["bienestar"].pk}
    assert client.get("/bienestar/programas-2/reglas/").status_code == 200
    service = ServicePage.objects.get(pk=w["service"].pk)
    assert service.agency_id == w["bienestar"].pk and service.homoclave == "CONAC-01-001"
    assert service.get_parent().pk == AgencyCataloguePage.objects.get(agency=w["bienestar"]).pk
    assert client.get("/tramites/CONAC-01-001/").status_code == 200
    office = Office.objects.get(pk=w["office"].pk)
    assert (office.agency_id, office.name) == (w["bienestar"].pk, "Delegación Colima (antes CONAC)")
    # The receiver keeps its own «¿Qué hacemos?»; the absorbed one's stays behind, unpublished.
    assert not AboutPage.objects.get(pk=w["about"].pk).live
    assert AboutPage.objects.child_of(home_of(w["bienestar"])).count() == 1
    conac = Agency.objects.get(pk=w["conac"].pk)
    assert not conac.is_active and not home_of(conac).live
    assert change.absorbed_id == conac.pk and change.before_slug == "conac"
    assert not Redirect.objects.exists()


def test_the_plan_of_a_merger_counts_what_will_move(merger_world):
    w = merger_world
    # Four pages below the home but its press room; its «¿Qué hacemos?» stays: the receiver has one.
    assert queries.merge_plan(w["conac"], w["bienestar"]) == [
        "1 trámite del catálogo",
        "3 páginas del sitio (1 noticia)",
        "1 oficina",
        "se retirará 1 rol del personal",
    ]


def test_a_merger_revokes_the_absorbed_entitys_roles(merger_world):
    w = merger_world
    merge(w)
    assert not StaffRole.objects.filter(agency=w["conac"]).exists()
    assert not w["editor"].groups.exists()
    assert not Group.objects.filter(name__startswith="CONAC ·").exists()
    assert not Workflow.objects.get(name="Revisión CONAC").active


def test_old_addresses_of_a_merged_entity_lead_to_the_moved_pages(merger_world, client):
    w = merger_world
    merge(w)
    for old, new in (
        ("/conac/", "/bienestar/"),
        ("/conac/prensa/", "/bienestar/prensa/"),
        ("/conac/prensa/apoyos/", "/bienestar/prensa/apoyos/"),
        ("/conac/programas/reglas/", "/bienestar/programas-2/reglas/"),
        ("/conac/que-hacemos/", "/bienestar/que-hacemos/"),
        ("/conac/ya-no-existe/", "/bienestar/"),
        ("/en/conac/prensa/apoyos/", "/en/bienestar/prensa/apoyos/"),
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
    assert client.get("/gobierno/conac/")["Location"] == "/bienestar/"
    assert "conac" not in client.get("/gobierno/").content.decode().lower()


def test_moved_news_say_who_published_them(merger_world, client):
    w = merger_world
    merge(w)
    said = "Coordinación Nacional de Apoyos Comunitarios (CONAC), hoy Secretaría de Bienestar"
    assert f"Publicado por: {said}" in client.get("/bienestar/prensa/apoyos/").content.decode()
    assert f"Publicado por {said}" in client.get("/bienestar/prensa/").content.decode()
    assert f"Publicado por {said}" in client.get("/prensa/").content.decode()
    assert said in client.get("/prensa/bienestar/atom.xml").content.decode()
    assert said in client.get("/prensa/conac/atom.xml").content.decode()  # a subscriber to the old feed
    # A page the receiver published itself says so, without a former name.
    own = make_news(w["bienestar"], "Pensión 2026", slug="pension")
    assert "Publicado por: Secretaría de Bienestar</p>" in client.get(own.url).content.decode()


def test_search_shows_the_moved_pages_under_the_receiver(merger_world, client, django_capture_on_commit_callbacks):
    w = merger_world
    with django_capture_on_commit_callbacks(execute=True):
        do_rebuild_index()
    assert SearchDocument.objects.get(kind=Kind.NEWS, object_id=w["news"].pk).agency_id == w["conac"].pk
    with django_capture_on_commit_callbacks(execute=True):
        merge(w)
    document = SearchDocument.objects.get(kind=Kind.NEWS, object_id=w["news"].pk)
    assert (document.agency_id, document.url) == (w["bienestar"].pk, "/bienestar/prensa/apoyos/")
    assert not SearchDocument.objects.filter(kind=Kind.AGENCY, object_id=w["conac"].pk).exists()
    html = client.get("/busqueda/", {"q": "cooperativas", "institucion": "bienestar"}).content.decode()
    assert "Apoyos a cooperativas" in html and 'href="/bienestar/prensa/apoyos/"' in html


def test_a_merger_is_refused_twice_into_itself_or_into_an_inactive_entity(merger_world):
    w = merger_world
    with pytest.raises(ValidationError, match="consigo misma"):
        do_merge_agency(w["conac"], w["conac"], effective=EFFECTIVE, by=None)
    retired = make_agency("RETIRO", name="Institución retirada", is_active=False)
    with pytest.raises(ValidationError, match="RETIRO no está vigente"):
        do_merge_agency(w["conac"], retired, effective=EFFECTIVE, by=None)
    with pytest.raises(ValidationError, match="no puede ser futura"):
        merge(w, effective=timezone.localdate() + dt.timedelta(days=1))
    merge(w)
    with pytest.raises(ValidationError, match="CONAC ya se fusionó en BIENESTAR el 01/12/2018"):
        merge(w)
    assert AgencyChange.objects.count() == 1


def test_a_new_entity_cannot_take_a_former_address(sedesol):
    rename(sedesol)
    with pytest.raises(ValidationError) as refused:
        Agency(name="Otra", acronym="OTRA", slug="sedesol", level="federal", kind="secretaria").full_clean()
    assert "fue de otra institución" in refused.value.message_dict["slug"][0]


# --- Commands ----------------------------------------------------------------------------------------------------------


def test_the_commands_call_the_same_actions(merger_world):
    w = merger_world
    call_command("merge_agency", "CONAC", "BIENESTAR", "--fecha", "2018-12-01", verbosity=0)
    assert queries.merged_into(w["conac"]).agency_id == w["bienestar"].pk
    with pytest.raises(CommandError, match="ya se fusionó"):
        call_command("merge_agency", "CONAC", "BIENESTAR", "--fecha", "2018-12-01", verbosity=0)
    call_command(
        "rename_agency",
        "BIENESTAR",
        "--nombre",
        "Secretaría del Bienestar",
        "--siglas",
        "SEBIEN",
        "--direccion",
        "sebien",
        "--fecha",
        "2024-10-01",
        verbosity=0,
    )
    assert Agency.objects.get(pk=w["bienestar"].pk).slug == "sebien"
    with pytest.raises(CommandError, match="ya usa para otra sección"):
        call_command(
            "rename_agency",
            "SEBIEN",
            "--nombre",
            "X",
            "--siglas",
            "SEBIEN",
            "--direccion",
            "prensa",
            "--fecha",
            "2024-10-02",
        )
    with pytest.raises(CommandError, match="No hay una institución con las siglas «NADA»"):
        call_command("merge_agency", "NADA", "SEBIEN", "--fecha", "2018-12-01")


def test_roles_granted_in_the_receiver_are_untouched(merger_world):
    w = merger_world
    approver = make_staff_user("aprobadora")
    do_grant_role(approver, w["bienestar"], Role.APPROVER)
    merge(w)
    assert StaffRole.objects.filter(user=approver, agency=w["bienestar"]).exists()
