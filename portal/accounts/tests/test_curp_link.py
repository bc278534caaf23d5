"""Linking a CURP at /mi-expediente/curp/: validation, the registry match, refusals that leak nothing, attempts and
their limits, one account per CURP, unlinking, the in-person path, assurance levels and what the holder sees."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.accounts import actions, queries
from portal.accounts.models import AssuranceLevel, CurpConfirmationMethod, CurpLinkEvent, Profile
from portal.accounts.tests.factories import add_totp, make_account
from portal.agencies.tests.factories import make_agency, make_office
from portal.registry.actions import do_change_status
from portal.registry.tests.factories import make_person

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

LINK = "/mi-expediente/curp/"
UNLINK = "/mi-expediente/curp/desvincular/"
GLORIA_CURP = "HEGG560427MVZRRL04"


def form(**overrides) -> dict[str, str]:
    data = {
        "curp": GLORIA_CURP,
        "nombre": "Gloria",
        "primer_apellido": "Hernández",
        "segundo_apellido": "García",
        "dia": "27",
        "mes": "4",
        "anio": "1956",
    }
    data.update(overrides)
    return data


def claim(**overrides) -> actions.CurpClaim:
    values: dict[str, Any] = {
        "curp": GLORIA_CURP,
        "given_names": "Gloria",
        "first_surname": "Hernández",
        "second_surname": "García",
        "birth_date": datetime.date(1956, 4, 27),
    }
    values.update(overrides)
    return actions.CurpClaim(**values)


@pytest.fixture
def gloria(db):
    person = make_person()
    assert person.curp == GLORIA_CURP
    return person


@pytest.fixture
def holder(client, citizen):
    assert sign_in(client, citizen.email).status_code == 302
    return citizen


def events(user) -> list[tuple[str, str]]:
    return list(CurpLinkEvent.objects.filter(user=user).order_by("pk").values_list("kind", "reason"))


# --- The page and the happy path -----------------------------------------------------------------------------------


def test_the_page_needs_a_signed_in_person(client):
    for response in (client.get(LINK), client.post(LINK, form()), client.post(UNLINK, {"confirm": "on"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/cuenta/entrar/?next=")


def test_a_matching_curp_is_linked_and_recorded_and_the_names_become_the_confirmed_ones(client, holder, gloria):
    page = client.get(LINK)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'value="Lucía"' in page.content.decode()

    response = client.post(LINK, form(nombre="  gloria ", primer_apellido="HERNANDEZ", segundo_apellido="garcía"))

    assert response.status_code == 302 and response["Location"] == "/mi-expediente/#curp"
    profile = Profile.objects.get(user=holder)
    assert profile.curp == GLORIA_CURP and profile.curp_confirmed_at is not None
    assert profile.curp_confirmation_method == CurpConfirmationMethod.REGISTRY_MATCH
    assert profile.curp_confirmed_by is None and profile.curp_confirmed_office is None
    assert events(holder) == [("linked", "")]
    holder.refresh_from_db()
    assert (holder.first_name, holder.last_name) == ("gloria", "HERNANDEZ garcía")
    home = client.get("/mi-expediente/").content.decode()
    assert GLORIA_CURP in home and "En línea, con los datos del registro" in home
    linked_page = client.get(LINK).content.decode()
    assert "Desvincular la CURP" in linked_page and "CURP vinculada" in linked_page


def test_a_registry_match_is_verificada_only_with_a_second_factor(client, holder, gloria):
    client.post(LINK, form())
    assert queries.assurance_level(holder) == AssuranceLevel.BASIC
    assert "cuando active la" in client.get(LINK).content.decode()

    add_totp(holder)

    assert queries.assurance_level(holder) == AssuranceLevel.VERIFIED


def test_an_in_person_confirmation_is_verificada_without_a_second_factor(gloria, citizen):
    clerk = make_account(email="clerk@imss.gob.mx")
    office = make_office(make_agency("IMSS"), name="UMF 1")

    profile = actions.do_link_curp(citizen, claim(), actor=clerk, office=office)

    assert profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON
    assert (profile.curp_confirmed_by, profile.curp_confirmed_office) == (clerk, office)
    assert queries.assurance_level(citizen) == AssuranceLevel.VERIFIED
    event = CurpLinkEvent.objects.get(user=citizen)
    assert (event.kind, event.actor, event.office) == ("linked", clerk, office)


# --- Refusals -------------------------------------------------------------------------------------------------------


def test_a_malformed_curp_says_which_part_is_wrong(client, holder, gloria):
    response = client.post(LINK, form(curp="HEGG990231MVZRRL04"))

    assert response.status_code == 400
    assert "«990231»" in response.content.decode()
    assert not events(holder), "a typing mistake is not an attempt on the registry"


def test_a_curp_that_only_python_stdnum_rejects_is_refused(client, holder):
    problems = actions.check_curp_format("HEGG560427MVZRRL05")
    assert problems and "dígito verificador" in problems[0]
    assert actions.check_curp_format(GLORIA_CURP) == []


def test_an_unknown_curp_is_refused_with_a_way_forward(client, holder):
    response = client.post(LINK, form())

    assert response.status_code == 400
    assert "No encontramos esa CURP en el Registro Nacional de Población" in response.content.decode()
    assert events(holder) == [("refused", "not_found")]


def test_a_mismatch_never_reveals_the_registrys_data(client, holder):
    registered = make_person(given_names="ROSALBA", first_surname="HERNÁNDEZ", second_surname="GARCÍA")

    response = client.post(LINK, form(curp=registered.curp, nombre="Gloria"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "no coinciden con los registrados para esa CURP" in page
    assert "ROSALBA" not in page.upper()
    assert events(holder) == [("refused", "mismatch")]
    assert not Profile.objects.filter(user=holder).exclude(curp="").exists()


def test_a_birth_date_that_the_curp_itself_contradicts_gets_its_own_message(client, holder, gloria):
    response = client.post(LINK, form(dia="28"))

    assert response.status_code == 400
    assert "no corresponde a la CURP: las posiciones 5 a 10" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "message"),
    [("cancelled", "está dada de baja en el registro"), ("deceased", "tiene una baja por defunción")],
)
def test_a_cancelled_or_deceased_record_is_named_only_to_who_knows_its_data(client, holder, gloria, status, message):
    do_change_status(gloria, status)

    wrong = client.post(LINK, form(nombre="Marta"))
    right = client.post(LINK, form())

    assert message not in wrong.content.decode()
    assert right.status_code == 400 and message in right.content.decode()
    assert events(holder) == [("refused", "mismatch"), ("refused", "inactive")]


def test_a_curp_linked_to_another_account_is_refused_with_the_office_route(client, holder, gloria):
    other = make_account(email="otra@example.mx")
    actions.do_link_curp(other, claim())

    response = client.post(LINK, form())

    assert response.status_code == 409
    assert "ya está vinculada a otra cuenta" in response.content.decode()
    assert "oficina de atención" in response.content.decode()
    assert Profile.objects.get(user=other).curp == GLORIA_CURP
    assert events(holder) == [("refused", "taken")]


def test_the_database_allows_one_account_per_confirmed_curp(citizen):
    other = make_account(email="otra@example.mx")
    Profile.objects.filter(user=citizen).update(curp=GLORIA_CURP, curp_confirmed_at=datetime.datetime.now(datetime.UTC))

    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=other).update(
            curp=GLORIA_CURP, curp_confirmed_at=datetime.datetime.now(datetime.UTC)
        )


def test_too_many_refusals_stop_the_account_even_with_the_right_data(client, holder, gloria, settings):
    settings.ACCOUNTS_CURP_LINK_MAX_FAILURES = 3
    for _attempt in range(3):
        assert client.post(LINK, form(nombre="Marta")).status_code == 400

    response = client.post(LINK, form())

    assert response.status_code == 429
    assert "demasiados intentos fallidos" in response.content.decode()
    assert not Profile.objects.get(user=holder).curp


def test_refusals_at_a_counter_do_not_count_against_the_holder(holder, gloria, settings):
    settings.ACCOUNTS_CURP_LINK_MAX_FAILURES = 1
    clerk = make_account(email="clerk@imss.gob.mx")
    office = make_office(make_agency("IMSS"))
    with pytest.raises(actions.CurpLinkRefused):
        actions.do_link_curp(holder, claim(given_names="Marta"), actor=clerk, office=office)

    actions.check_curp_link_allowed(holder)


def test_each_address_gets_a_limited_number_of_attempts(client, holder, gloria, settings):
    settings.ACCOUNTS_CURP_LINK_RATE_LIMIT = 2
    client.post(LINK, form(nombre="Marta"))
    client.post(LINK, form(nombre="Marta"))

    response = client.post(LINK, form())

    assert response.status_code == 429 and "Retry-After" in response
    assert "Demasiados intentos" in response.content.decode()
    assert client.get(LINK).status_code == 200, "looking at the page costs nothing"


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(variant=st.lists(st.sampled_from(["upper", "lower", "title", "strip_accents", "pad"]), min_size=1, max_size=3))
def test_names_match_whatever_the_case_accents_and_spacing(gloria, variant):
    def typed(text: str) -> str:
        for change in variant:
            if change == "strip_accents":
                text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
            elif change == "pad":
                text = f"  {text.replace(' ', '   ')} "
            else:
                text = getattr(text, change)()
        return text

    person = actions.check_curp_claim(
        claim(given_names=typed("Gloria"), first_surname=typed("Hernández"), second_surname=typed("García"))
    )
    assert person.curp == GLORIA_CURP


# --- Unlinking, moving, and what the holder sees ---------------------------------------------------------------------


def test_the_holder_unlinks_the_curp_after_confirming(client, holder, gloria):
    client.post(LINK, form())
    add_totp(holder)

    refused = client.post(UNLINK, {})
    assert refused.status_code == 400 and "Marque la casilla" in refused.content.decode()
    response = client.post(UNLINK, {"confirm": "on"})

    assert response.status_code == 302
    profile = Profile.objects.get(user=holder)
    assert (profile.curp, profile.curp_confirmed_at, profile.curp_confirmation_method) == ("", None, "")
    assert queries.assurance_level(holder) == AssuranceLevel.BASIC
    assert events(holder) == [("linked", ""), ("unlinked", "by_holder")]
    assert "CURP desvinculada" in client.get(LINK).content.decode()


def test_a_refused_change_on_a_linked_account_still_shows_why(client, holder, gloria):
    client.post(LINK, form())

    response = client.post(LINK, form(nombre="Marta"))

    assert response.status_code == 400
    assert "no coinciden con los registrados" in response.content.decode()
    assert Profile.objects.get(user=holder).curp == GLORIA_CURP


def test_an_online_match_never_downgrades_an_in_person_confirmation(gloria, citizen):
    clerk = make_account(email="clerk@imss.gob.mx")
    office = make_office(make_agency("IMSS"))
    actions.do_link_curp(citizen, claim(), actor=clerk, office=office)

    actions.do_link_curp(citizen, claim())

    assert Profile.objects.get(user=citizen).curp_confirmation_method == CurpConfirmationMethod.IN_PERSON


def test_a_clerk_moves_a_curp_from_another_account_and_both_histories_say_so(gloria, citizen):
    squatter = make_account(email="otra@example.mx")
    actions.do_link_curp(squatter, claim())
    clerk = make_account(email="clerk@imss.gob.mx")
    office = make_office(make_agency("IMSS"))

    actions.do_link_curp(citizen, claim(), actor=clerk, office=office)

    assert Profile.objects.get(user=citizen).curp == GLORIA_CURP
    assert Profile.objects.get(user=squatter).curp == ""
    assert events(squatter) == [("linked", ""), ("unlinked", "moved")]


def test_the_download_holds_the_curp_link_and_its_history(client, holder, gloria):
    client.post(LINK, form(nombre="Marta"))
    client.post(LINK, form())

    data = client.post("/mi-expediente/mis-datos/descargar/").json()

    assert data["cuenta"]["curp"]["curp"] == GLORIA_CURP
    assert data["cuenta"]["curp"]["como_se_confirmo"] == "En línea, con los datos del registro"
    history = data["cuenta"]["historial_de_la_curp"]
    assert [row["evento"] for row in history] == ["CURP vinculada", "Intento rechazado"]
    assert history[1]["motivo"] == "Los datos no coinciden con el registro"


def test_closing_the_account_erases_the_curp_and_its_history(client, holder, gloria):
    client.post(LINK, form())

    response = client.post("/mi-expediente/eliminar-cuenta/", {"confirm": "on", "password": PASSWORD})

    assert response.status_code == 302
    assert not CurpLinkEvent.objects.filter(user=holder).exists()
    profile = Profile.objects.get(user=holder)
    assert (profile.curp, profile.curp_confirmation_method) == ("", "")


def test_after_linking_the_person_goes_back_to_the_page_that_asked_for_it(client, holder, gloria):
    back = "/citas/confirmar/?horario=12"
    page = client.get(LINK + "?next=" + back.replace("?", "%3F").replace("=", "%3D"))
    assert f'name="next" value="{back}"' in page.content.decode()
    response = client.post(LINK, {**form(), "next": back})
    assert response.status_code == 302 and response["Location"] == back


def test_a_next_address_of_another_site_is_ignored(client, holder, gloria):
    response = client.post(LINK, {**form(), "next": "https://otro.example/"})
    assert response.status_code == 302 and response["Location"] == "/mi-expediente/#curp"
