"""Abuse controls of supports, as UK e-petitions has them: aliases of one mailbox count once, windows per address
and per account (burst and sustained) drop what exceeds them without telling the sender, blocked networks and domains
are dropped, moderators see surges by network and e-mail domain, and invalidate supports in bulk after a preview of
the count, with a record of what was removed and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.actions import do_grant_portal_admin
from portal.participation import abuse, actions, queries, supports
from portal.participation.models import (
    BlockReason,
    EventKind,
    PetitionSupport,
    SupportInvalidation,
    SupportLimits,
    SupportState,
)
from testing.clients import client_for

from .factories import make_citizen, make_entity, make_public_petition, make_verified_citizen

# --- Pure pieces ------------------------------------------------------------------------------------------------------


def test_aliases_of_one_mailbox_have_one_key():
    assert abuse.normalise_email("Ana.Lopez+firmas@GMail.com") == "analopez@gmail.com"
    assert abuse.normalise_email("a.n.a.lopez@googlemail.com") == "analopez@gmail.com"
    assert abuse.normalise_email("ana.lopez+1@example.com.mx") == "ana.lopez@example.com.mx"
    assert abuse.email_domain("x@GoogleMail.com") == "gmail.com"


@given(st.emails())
def test_normalising_twice_changes_nothing_and_keeps_the_domain(address):
    key = abuse.normalise_email(address)
    assert abuse.normalise_email(key) == key
    assert key.endswith("@" + abuse.email_domain(address))
    assert "+" not in key.split("@")[0]


def test_an_address_belongs_to_its_24_or_48():
    assert abuse.network_of("201.141.12.77") == "201.141.12.0/24"
    assert abuse.network_of("2806:10a0:1:2::5") == "2806:10a0:1::/48"
    assert abuse.network_of("::ffff:201.141.12.77") == "201.141.12.0/24"
    assert abuse.network_of("no es ip") == abuse.network_of(None) == ""


def test_lists_refuse_a_bad_line_naming_it():
    with pytest.raises(Exception, match="La línea 2"):
        abuse.parse_networks("10.0.0.0/8\n300.1.1.1")
    with pytest.raises(Exception, match="no es un dominio"):
        abuse.parse_domains("ejemplo.com\nsin_punto")
    assert abuse.parse_domains("@Ejemplo.COM.mx # escuela\n\ngooglemail.com") == ["ejemplo.com.mx", "gmail.com"]


@given(st.text(max_size=80))
def test_the_list_parsers_either_parse_or_say_which_line(text):
    for parse in (abuse.parse_networks, abuse.parse_domains):
        try:
            parse(text)
        except Exception as error:  # noqa: BLE001 — the property: only a ValidationError naming a line
            assert "línea" in str(error)


def test_an_invalidation_needs_a_condition_and_a_network_of_the_tables_size():
    with pytest.raises(Exception, match="sin una condición"):
        abuse.parse_target("", "")
    with pytest.raises(Exception, match="/24"):
        abuse.parse_target("10.0.0.0/8", "")
    assert abuse.parse_target(" 201.141.12.9/24 ", "@Example.com") == abuse.Target("201.141.12.0/24", "example.com")
    assert abuse.parse_target("201.141.12.9", "").network == "201.141.12.9"


# --- Supports through the controls ------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _moderator():
    user = make_citizen(first_name="Marta")
    do_grant_portal_admin(user)
    return user


def _published(subject="Ciclovía en la avenida Juárez", agency=None):
    agency = agency or make_entity("SEMOVI", "Secretaría de Movilidad")
    petition = make_public_petition(make_citizen(first_name="Leonor"), agency, subject=subject)
    return actions.do_publish_petition(petition, _moderator())


def _limits(**values) -> SupportLimits:
    limits = queries.support_limits()
    for name, value in values.items():
        setattr(limits, name, value)
    return supports.do_set_support_limits(limits, None)


def test_a_second_account_of_the_same_gmail_mailbox_is_dropped_silently():
    petition = _published()
    actions.do_support_petition(petition, make_verified_citizen(email="ana.lopez@gmail.com"), address="1.2.3.4")
    alias = make_verified_citizen(email="analopez+otra@googlemail.com")
    result = actions.do_support_petition(petition, alias, address="5.6.7.8")
    assert result.supports_count == 1 == queries.count_supports(petition)
    support = PetitionSupport.objects.get(user=alias)
    assert (support.state, support.block_reason) == (SupportState.BLOCKED, BlockReason.ALIAS)
    assert queries.has_supported(alias, petition)  # the sender sees what any supporter sees


def test_a_burst_from_one_address_is_dropped_but_answered_as_any_support(settings):
    _limits(address_burst=2, address_burst_minutes=1)
    petition = _published()
    now = timezone.now()
    citizens = [make_verified_citizen() for _ in range(3)]
    for n, citizen in enumerate(citizens):
        actions.do_support_petition(petition, citizen, address="201.141.12.7", now=now + dt.timedelta(seconds=n))
    petition.refresh_from_db()
    assert petition.supports_count == 2
    assert PetitionSupport.objects.get(user=citizens[2]).block_reason == BlockReason.ADDRESS_BURST
    # A minute later the window has passed.
    later = make_verified_citizen()
    actions.do_support_petition(petition, later, address="201.141.12.7", now=now + dt.timedelta(seconds=70))
    petition.refresh_from_db()
    assert petition.supports_count == 3


def test_the_page_answers_a_dropped_support_exactly_as_a_counted_one():
    _limits(blocked_networks="201.141.12.0/24")
    petition = _published()
    counted, dropped = make_verified_citizen(), make_verified_citizen()
    pages = []
    for citizen, address in ((counted, "8.8.8.8"), (dropped, "201.141.12.9")):
        client = client_for(citizen)
        response = client.post(f"/participa/peticiones/{petition.folio}/apoyar/", REMOTE_ADDR=address, follow=True)
        pages.append((response.status_code, response.redirect_chain, "se sumó su apoyo" in response.content.decode()))
    assert pages[0] == (200, [(f"/participa/peticiones/{petition.folio}/", 302)], True)
    assert pages[0] == pages[1]
    assert PetitionSupport.objects.get(user=dropped).block_reason == BlockReason.BLOCKED_NETWORK
    petition.refresh_from_db()
    assert petition.supports_count == 1


def test_an_allowed_network_skips_the_address_windows_but_not_the_accounts():
    _limits(address_burst=1, allowed_networks="201.141.12.0/24 # biblioteca", account_burst=1)
    first, second = _published("Primera"), _published("Segunda", agency=make_entity("SEP"))
    a, b = make_verified_citizen(), make_verified_citizen()
    now = timezone.now()
    actions.do_support_petition(first, a, address="201.141.12.9", now=now)
    actions.do_support_petition(first, b, address="201.141.12.9", now=now)
    assert queries.count_supports(first) == 2
    actions.do_support_petition(second, a, address="201.141.12.9", now=now + dt.timedelta(seconds=1))
    assert PetitionSupport.objects.get(user=a, petition=second).block_reason == BlockReason.ACCOUNT_BURST


def test_a_blocked_domain_is_dropped_and_withdrawing_a_dropped_support_changes_no_count():
    _limits(blocked_domains="correo-desechable.example")
    petition = _published()
    citizen = make_verified_citizen(email="x@correo-desechable.example")
    actions.do_support_petition(petition, citizen, address="9.9.9.9")
    assert PetitionSupport.objects.get(user=citizen).block_reason == BlockReason.BLOCKED_DOMAIN
    petition = actions.do_withdraw_support(petition, citizen)
    assert petition.supports_count == 0 and not PetitionSupport.objects.exists()


def test_the_limits_page_refuses_bad_windows_and_lists_keeping_what_was_typed():
    client = client_for(_moderator())
    data = {
        "address_burst": "5",
        "address_burst_minutes": "90",
        "address_sustained": "30",
        "address_sustained_minutes": "60",
        "account_burst": "10",
        "account_burst_minutes": "1",
        "account_sustained": "60",
        "account_sustained_minutes": "60",
        "surge_minimum": "50",
        "allowed_networks": "",
        "blocked_networks": "10.0.0.0/8",
        "blocked_domains": "",
        "common_domains": "gmail.com",
    }
    response = client.post("/participa/gestion/moderacion/controles/", data)
    assert response.status_code == 400
    assert "Cada ventana corta debe durar menos que la larga" in response.content.decode()
    response = client.post(
        "/participa/gestion/moderacion/controles/",
        data | {"address_burst_minutes": "1", "blocked_networks": "10.0.0.0/8\nnada"},
    )
    assert response.status_code == 400 and "La línea 2 («nada»)" in response.content.decode()
    assert "10.0.0.0/8" in response.content.decode()
    response = client.post("/participa/gestion/moderacion/controles/", data | {"address_burst_minutes": "1"})
    assert response.status_code == 302
    assert queries.support_limits().blocked_networks == "10.0.0.0/8"


# --- Surges and invalidation -----------------------------------------------------------------------------------------


def _wave(petition, count, *, address_prefix="201.141.12.", domain="escuela.example"):
    for n in range(count):
        citizen = make_verified_citizen(email=f"p{n}.{petition.pk}@{domain}")
        actions.do_support_petition(petition, citizen, address=f"{address_prefix}{n + 1}")


def test_moderators_see_surges_by_network_and_domain_but_not_common_domains():
    _limits(surge_minimum=3, address_burst=100, address_sustained=100)
    petition = _published()
    _wave(petition, 3)
    _wave(petition, 3, address_prefix="187.190.1.", domain="gmail.com")
    found = queries.surges(timezone.now() - dt.timedelta(hours=1))
    assert {(s.key, s.supports, s.share) for s in found["networks"]} == {
        ("201.141.12.0/24", 3, 50),
        ("187.190.1.0/24", 3, 50),
    }
    assert [(s.key, s.supports) for s in found["domains"]] == [("escuela.example", 3)]
    page = client_for(_moderator()).get("/participa/gestion/moderacion/apoyos/?horas=1")
    assert page.status_code == 200 and "201.141.12.0/24" in page.content.decode()
    assert client_for(make_citizen()).get("/participa/gestion/moderacion/apoyos/").status_code == 403


def test_a_moderator_previews_then_invalidates_exactly_that_many_with_a_record():
    _limits(address_burst=100, address_sustained=100)
    petition = _published()
    _wave(petition, 4)
    honest = make_verified_citizen()
    actions.do_support_petition(petition, honest, address="8.8.4.4")
    moderator = _moderator()
    client = client_for(moderator)
    conditions = {"folio": petition.folio, "red": "201.141.12.0/24", "dominio": "", "motivo": "Oleada de una red."}
    preview = client.post("/participa/gestion/moderacion/anulaciones/nueva/", conditions)
    assert preview.status_code == 200 and "4 apoyos contados cumplen estas condiciones" in preview.content.decode()
    assert 'name="previsto" value="4"' in preview.content.decode()
    assert PetitionSupport.objects.filter(state=SupportState.COUNTED).count() == 5  # a preview changes nothing

    done = client.post(
        "/participa/gestion/moderacion/anulaciones/nueva/", conditions | {"previsto": "4", "confirmar": "1"}
    )
    invalidation = SupportInvalidation.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/anulaciones/{invalidation.public_id}/")
    assert (invalidation.invalidated, invalidation.created_by, invalidation.network) == (
        4,
        moderator,
        "201.141.12.0/24",
    )
    petition.refresh_from_db()
    assert petition.supports_count == 1 == queries.count_supports(petition)
    assert set(invalidation.supports.values_list("state", flat=True)) == {SupportState.INVALIDATED}
    event = petition.events.get(kind=EventKind.SUPPORTS_INVALIDATED)
    assert event.data["invalidated"] == 4 and event.reason == "Oleada de una red."
    record = client.get(done["Location"])
    assert "Oleada de una red." in record.content.decode() and petition.folio in record.content.decode()

    # Those invalidated cannot support again nor withdraw; the honest supporter is untouched.
    victim = invalidation.supports.first().user
    with pytest.raises(actions.PetitionRefused, match="anuló su apoyo"):
        actions.do_support_petition(petition, victim)
    with pytest.raises(actions.PetitionRefused, match="anuló su apoyo"):
        actions.do_withdraw_support(petition, victim)
    assert queries.has_supported(honest, petition) and not queries.has_supported(victim, petition)


def test_an_invalidation_refuses_a_count_that_changed_since_the_preview_and_an_empty_one():
    _limits(address_burst=100, address_sustained=100)
    petition = _published()
    _wave(petition, 2)
    client = client_for(_moderator())
    conditions = {"red": "201.141.12.0/24", "motivo": "Oleada.", "previsto": "1", "confirmar": "1"}
    response = client.post("/participa/gestion/moderacion/anulaciones/nueva/", conditions)
    assert response.status_code == 409 and "cambió: ahora son 2" in response.content.decode()
    assert not SupportInvalidation.objects.exists()
    response = client.post("/participa/gestion/moderacion/anulaciones/nueva/", conditions | {"motivo": ""})
    assert response.status_code == 400 and "Escriba por qué se anulan" in response.content.decode()
    response = client.post(
        "/participa/gestion/moderacion/anulaciones/nueva/", {"motivo": "x", "red": "", "dominio": ""}
    )
    assert response.status_code == 400 and "sin una condición" in response.content.decode()
    with pytest.raises(actions.PetitionRefused, match="no hay nada que anular"):
        supports.do_invalidate_supports(None, abuse.Target("10.9.9.0/24", ""), reason="x", expected=0)


def test_a_support_keeps_no_address_only_a_key_and_the_network():
    petition = _published()
    citizen = make_verified_citizen()
    actions.do_support_petition(petition, citizen, address="201.141.12.77")
    support = PetitionSupport.objects.get(user=citizen)
    assert support.network == "201.141.12.0/24" and "201.141.12.77" not in support.address_key
    assert support.address_key == abuse.address_key("::ffff:201.141.12.77") != abuse.address_key("201.141.12.78")
    invalidation = supports.do_invalidate_supports(
        None, abuse.parse_target("201.141.12.77", ""), reason="Una sola dirección.", expected=1
    )
    assert invalidation.invalidated == 1
