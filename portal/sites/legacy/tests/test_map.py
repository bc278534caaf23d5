"""Suggestions for old addresses without a destination, and the map as CSV (file and command)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.agencies.tests.factories import make_agency
from portal.sites.legacy import actions
from portal.sites.legacy.accesslog import parse_access_log
from portal.sites.legacy.csvmap import export_csv, import_csv
from portal.sites.legacy.fetching import decode, old_path
from portal.sites.legacy.models import MappingStatus, UrlMapping
from portal.sites.legacy.suggestions import do_suggest_targets, words
from portal.sites.tests.factories import home_of, make_content_page


@pytest.fixture
def profeco(db):
    return make_agency("PROFECO", name="Procuraduría Federal del Consumidor")


@pytest.fixture
def site(profeco):
    return actions.do_register_legacy_site(profeco, "https://www.profeco.gob.mx/", ["www.profeco.gob.mx"])


def test_an_unresolved_address_gets_the_most_similar_page_as_suggestion(site, profeco):
    complaints = make_content_page(home_of(profeco), "Presentar una queja")
    make_content_page(home_of(profeco), "Transparencia")
    lost = UrlMapping.objects.create(site=site, old_path="/servicios/Quejas_en_linea.php")
    nothing = UrlMapping.objects.create(site=site, old_path="/zzz/qwerty.html")

    assert do_suggest_targets(site) == 1
    lost.refresh_from_db()
    nothing.refresh_from_db()
    assert lost.suggested_page_id == complaints.pk and lost.suggestion_score == 45.5  # «quejas» of «quejas linea»
    assert nothing.suggested_page_id is None


def test_accepting_a_suggestion_redirects_and_rejecting_it_is_final(site, profeco, django_user_model):
    page = make_content_page(home_of(profeco), "Presentar una queja")
    person = django_user_model.objects.create_user("revisora", password="x")
    accepted = UrlMapping.objects.create(site=site, old_path="/quejas.html", suggested_page=page, suggestion_score=90)
    rejected = UrlMapping.objects.create(site=site, old_path="/queja.asp", suggested_page=page, suggestion_score=80)

    actions.do_accept_suggestion(accepted, person)
    actions.do_reject_suggestion(rejected, person)
    do_suggest_targets(site)

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == MappingStatus.REDIRECT and accepted.target_page_id == page.pk
    assert accepted.reviewed_by == person and accepted.reviewed_at is not None
    assert rejected.suggested_page_id is None and rejected.status == MappingStatus.UNRESOLVED


def test_the_map_goes_out_and_back_in_as_csv(site, profeco):
    page = make_content_page(home_of(profeco), "Presentar una queja")
    UrlMapping.objects.create(site=site, old_path="/quejas.html", status=MappingStatus.REDIRECT, target_page=page)
    UrlMapping.objects.create(site=site, old_path="/viejo.html", visits=7)
    text = export_csv(site)
    assert "/quejas.html,redirect," + str(page.pk) in text

    edited = text.replace("/viejo.html,unresolved,", "/viejo.html,redirect,/profeco/")
    result = import_csv(site, edited)
    assert result.errors == [] and result.applied == 1
    assert UrlMapping.objects.get(old_path="/viejo.html").target_path == "/profeco/"


def test_a_csv_with_wrong_lines_changes_nothing_and_says_which_lines(site, profeco):
    other = make_agency("SEP", name="Secretaría de Educación Pública")
    foreign = make_content_page(home_of(other), "Becas")
    text = (
        "direccion_anterior,estado,destino\n"
        "/bien.html,archive,\n"
        "sin-barra.html,redirect,/profeco/\n"
        "/a.html,movida,/profeco/\n"
        f"/b.html,redirect,{foreign.pk}\n"
        "/c.html,redirect,\n"
        "/d.html,redirect,profeco\n"
        "/bien.html,unresolved,\n"
    )
    result = import_csv(site, text)
    assert result.applied == 0
    assert result.errors == [
        "Línea 3: la dirección anterior «sin-barra.html» debe empezar con «/».",
        "Línea 4: el estado «movida» no es redirect, archive ni unresolved.",
        f"Línea 5: la página {foreign.pk} no es del sitio de esta institución.",
        "Línea 6: una redirección necesita un destino (el número de una página o una dirección que empiece con «/»).",
        "Línea 7: el destino «profeco» debe ser el número de una página o una dirección que empiece con «/».",
        "Línea 8: la dirección «/bien.html» ya está en una línea anterior.",
    ]
    assert not UrlMapping.objects.filter(site=site).exists()
    assert import_csv(site, "a,b\n").errors == [
        "Línea 1: faltan las columnas «direccion_anterior», «estado», «destino»."
    ]


def test_the_command_exports_and_imports_the_map(site, tmp_path):
    UrlMapping.objects.create(site=site, old_path="/viejo.html")
    target = tmp_path / "mapa.csv"
    call_command("legacy_url_map", "export", "PROFECO", str(target), stdout=io.StringIO())
    target.write_text(target.read_text().replace("/viejo.html,unresolved,", "/viejo.html,archive,"))
    out = io.StringIO()
    call_command("legacy_url_map", "import", "PROFECO", str(target), stdout=out)
    assert "1 direcciones cambiadas" in out.getvalue()
    target.write_text("direccion_anterior,estado,destino\n/x,nada,\n")
    with pytest.raises(CommandError, match="Línea 2: el estado «nada»"):
        call_command("legacy_url_map", "import", "PROFECO", str(target), stdout=io.StringIO())


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_csv_text_is_answered_with_messages_never_an_exception(site, text):
    result = import_csv(site, text)
    assert result.applied == 0 or not result.errors


@given(st.lists(st.text(max_size=200), max_size=20))
def test_any_access_log_lines_are_parsed_without_failing(lines):
    visits = parse_access_log(lines)
    assert all(path.startswith("/") for path in visits.counts)


@given(st.binary(max_size=500))
def test_any_bytes_decode_to_text(body):
    assert isinstance(decode(body), str)


@given(st.text(max_size=100))
def test_old_path_of_any_address_is_a_path(tail):
    assert old_path(f"http://www.profeco.gob.mx/{tail}").startswith("/")


def test_words_drop_accents_extensions_and_noise():
    assert words("/Prensa/2019/Comunicación-014.HTML") == "prensa 2019 comunicacion 014"
