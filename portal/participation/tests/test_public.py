"""Public petitions: the moderators publish, refuse (with a published rule the author sees) or mark a duplicate;
verified accounts support a published petition once and may withdraw; thresholds are recorded and told to the author;
the public list and page show nothing of the author."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_portal_admin, do_grant_role
from portal.agencies.models import Role
from portal.notifications.models import Notification
from portal.participation import actions, queries, supports
from portal.participation.models import (
    EventKind,
    Moderation,
    Petition,
    PetitionSupport,
    PetitionTerm,
    RejectionReason,
)
from testing.clients import client_for

from .factories import (
    local_noon,
    make_citizen,
    make_entity,
    make_petition,
    make_petitions_staff,
    make_public_petition,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_moderator():
    user = make_citizen(first_name="Marta")
    do_grant_portal_admin(user)
    return user


def published(agency=None, author=None):
    agency = agency or make_entity("SEMOVI", "Secretaría de Movilidad")
    petition = make_public_petition(author or make_citizen(first_name="Leonor"), agency)
    return actions.do_publish_petition(petition, make_moderator())


# --- Moderation -----------------------------------------------------------------------------------------------------


def test_a_public_petition_waits_for_the_moderators_with_a_deadline_of_5_working_days():
    petition = make_public_petition(make_citizen(), make_entity("SEMOVI"))
    assert petition.moderation == Moderation.PENDING
    assert petition.moderation_due == queries.moderation_due_for(petition.received_on)
    assert petition.moderation_due > petition.received_on
    assert make_petition(make_citizen(), petition.agency).moderation == ""
    assert Client().get(f"/participa/peticiones/{petition.folio}/").status_code == 404


def test_a_moderator_publishes_and_the_page_opens_for_supports_for_six_months():
    author = make_citizen()
    petition = make_public_petition(author, make_entity("SEMOVI"))
    moderator = make_moderator()
    client = client_for(moderator)
    queue = client.get("/participa/gestion/moderacion/")
    assert queue.status_code == 200 and petition.folio in queue.content.decode()
    assert client.get(f"/participa/gestion/moderacion/{petition.folio}/").status_code == 200
    response = client.post(f"/participa/gestion/moderacion/{petition.folio}/publicar/")
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.moderation == Moderation.PUBLISHED
    assert petition.supports_close_on == queries.add_months(timezone.localdate(petition.published_at), 6)
    assert petition.events.filter(kind=EventKind.PUBLISHED, actor_role="moderator").exists()
    assert Client().get(f"/participa/peticiones/{petition.folio}/").status_code == 200
    mine = signed_in(author).get(f"/participa/peticiones/mias/{petition.folio}/").content.decode()
    assert "Ver su página pública" in mine
    # Deciding twice is refused with a clear message, not a 500.
    again = client.post(f"/participa/gestion/moderacion/{petition.folio}/publicar/")
    assert again.status_code == 409 and "Otra persona ya revisó esta petición." in again.content.decode()


def test_a_rejection_names_a_published_rule_and_the_author_sees_it():
    author = make_citizen()
    petition = make_public_petition(author, make_entity("SEMOVI"))
    client = client_for(make_moderator())
    bad = client.post(f"/participa/gestion/moderacion/{petition.folio}/rechazar/", {"motivo": "porque sí"})
    assert bad.status_code == 400 and "Elija un motivo de la lista de reglas." in bad.content.decode()
    response = client.post(f"/participa/gestion/moderacion/{petition.folio}/rechazar/", {"motivo": "offensive"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.moderation == Moderation.REJECTED and petition.rejection_reason == RejectionReason.OFFENSIVE
    label = str(RejectionReason.OFFENSIVE.label)
    assert petition.events.get(kind=EventKind.REJECTED).reason == label
    page = signed_in(author).get(f"/participa/peticiones/mias/{petition.folio}/").content.decode()
    assert label in page
    rules = Client().get("/participa/peticiones/reglas/").content.decode()
    assert all(str(reason.label) in rules for reason in RejectionReason)
    assert Client().get(f"/participa/peticiones/{petition.folio}/").status_code == 404


def test_a_duplicate_points_to_the_public_petition_it_repeats():
    original = published()
    author = make_citizen()
    petition = make_public_petition(author, original.agency, subject="Otra ciclovía")
    client = client_for(make_moderator())
    url = f"/participa/gestion/moderacion/{petition.folio}/duplicada/"
    unknown = client.post(url, {"folio": "2026-AAAA-AAAA-A"})
    assert unknown.status_code == 400 and "No hay una petición publicada con ese folio." in unknown.content.decode()
    assert client.post(url, {"folio": original.folio}).status_code == 302
    petition.refresh_from_db()
    assert petition.moderation == Moderation.DUPLICATE and petition.duplicate_of == original
    assert petition.events.get(kind=EventKind.DUPLICATE).data == {"original": original.folio}
    page = signed_in(author).get(f"/participa/peticiones/mias/{petition.folio}/").content.decode()
    assert f"/participa/peticiones/{original.folio}/" in page


def test_only_portal_administrators_moderate():
    agency = make_entity("SEMOVI")
    petition = make_public_petition(make_citizen(), agency)
    staff = client_for(make_petitions_staff(agency))
    assert staff.get("/participa/gestion/moderacion/").status_code == 403
    assert staff.post(f"/participa/gestion/moderacion/{petition.folio}/publicar/").status_code == 403
    private = make_petition(make_citizen(), agency)
    assert client_for(make_moderator()).get(f"/participa/gestion/moderacion/{private.folio}/").status_code == 404
    petition.refresh_from_db()
    assert petition.moderation == Moderation.PENDING


def test_the_entity_still_answers_a_public_petition_privately():
    agency = make_entity("SEMOVI")
    petition = published(agency)
    answered = actions.do_answer_petition(petition, make_petitions_staff(agency), "Se construirá en 2027.")
    assert answered.status == "answered" and answered.moderation == Moderation.PUBLISHED


# --- Supports -------------------------------------------------------------------------------------------------------


def test_a_verified_citizen_supports_once_and_withdraws():
    petition = published()
    supporter = make_verified_citizen()
    client = signed_in(supporter)
    url = f"/participa/peticiones/{petition.folio}/"
    assert "Apoyar esta petición" in client.get(url).content.decode()
    assert client.post(f"{url}apoyar/").status_code == 302
    petition.refresh_from_db()
    assert petition.supports_count == 1
    page = client.get(url).content.decode()
    assert "1 apoyo" in page and "Retirar mi apoyo" in page and "Siguiente umbral: 10,000 apoyos" in page
    twice = client.post(f"{url}apoyar/")
    assert twice.status_code == 409 and "Usted ya apoya esta petición." in twice.content.decode()
    assert PetitionSupport.objects.filter(petition=petition).count() == 1
    assert client.post(f"{url}retirar-apoyo/").status_code == 302
    petition.refresh_from_db()
    assert petition.supports_count == 0 and not PetitionSupport.objects.exists()
    again = client.post(f"{url}retirar-apoyo/")
    assert again.status_code == 409 and "Usted no apoya esta petición." in again.content.decode()


def test_an_account_that_is_not_verified_cannot_support():
    petition = published()
    response = signed_in(make_citizen()).post(f"/participa/peticiones/{petition.folio}/apoyar/")
    assert response.status_code == 403 and "su cuenta debe estar verificada" in response.content.decode()
    assert not PetitionSupport.objects.exists()
    anonymous = Client().post(f"/participa/peticiones/{petition.folio}/apoyar/")
    assert anonymous.status_code == 302 and not PetitionSupport.objects.exists()


def test_the_database_refuses_a_second_support_of_the_same_account():
    petition = published()
    user = make_verified_citizen()
    PetitionSupport.objects.create(petition=petition, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        PetitionSupport.objects.create(petition=petition, user=user)


def test_supports_after_the_period_closes_are_refused():
    petition = published()
    supporter = make_verified_citizen()
    later = petition.supports_close_on + dt.timedelta(days=1)
    with pytest.raises(actions.PetitionRefused, match="terminó el"):
        actions.do_support_petition(petition, supporter, now=local_noon(later))
    Petition.objects.filter(pk=petition.pk).update(supports_close_on=dt.date(2020, 1, 1))
    response = signed_in(supporter).post(f"/participa/peticiones/{petition.folio}/apoyar/")
    text = response.content.decode()
    assert response.status_code == 409 and "El periodo para apoyar esta petición terminó el 01/01/2020" in text
    assert not PetitionSupport.objects.exists()


def test_crossing_a_threshold_records_an_event_and_tells_the_author_once():
    agency = make_entity("SEMOVI")
    actions.do_set_public_settings(agency, support_months=6, answer_threshold=2, hearing_threshold=3)
    author = make_citizen(first_name="Leonor")
    petition = published(agency, author)
    first, second, third = make_verified_citizen(), make_verified_citizen(), make_verified_citizen()
    actions.do_support_petition(petition, first)
    assert not petition.events.filter(kind=EventKind.THRESHOLD).exists()
    actions.do_support_petition(petition, second)
    events = petition.events.filter(kind=EventKind.THRESHOLD)
    assert [event.data for event in events] == [{"threshold": 2, "duty": "answer"}]
    notices = Notification.objects.filter(event="petition.threshold")
    assert notices.count() == 1 and "alcanzó 2 apoyos" in notices.get().subject
    # Withdrawn and given again: the duty already stands; nothing is recorded or sent twice.
    actions.do_withdraw_support(petition, second)
    actions.do_support_petition(petition, second)
    assert petition.events.filter(kind=EventKind.THRESHOLD).count() == 1 and notices.count() == 1
    actions.do_support_petition(petition, third)
    assert petition.events.filter(kind=EventKind.THRESHOLD).count() == 2
    assert notices.count() == 2
    petition.refresh_from_db()
    assert petition.supports_count == 3 and queries.next_threshold(petition) is None


def test_the_entity_sets_its_period_and_thresholds_with_its_term():
    agency = make_entity("SEMOVI")
    assert queries.public_settings_for(agency) == queries.PublicSettings(6, 10_000, 100_000)
    with pytest.raises(actions.ValidationError):
        actions.do_set_public_settings(agency, support_months=6, answer_threshold=5, hearing_threshold=5)
    actions.do_set_public_settings(agency, support_months=3, answer_threshold=5, hearing_threshold=50)
    assert PetitionTerm.objects.get(agency=agency).days == 45
    assert queries.public_settings_for(agency) == queries.PublicSettings(3, 5, 50)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert queries.add_months(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
    assert queries.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert queries.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)


# --- The public list and page ---------------------------------------------------------------------------------------


def test_the_public_list_and_page_show_no_personal_data():
    author = make_citizen("leonor.vazquez@example.com", first_name="Leonor")
    author.last_name = "Vázquez"
    author.save()
    petition = published(author=author)
    for url in ("/participa/peticiones/", f"/participa/peticiones/{petition.folio}/"):
        page = Client().get(url).content.decode()
        assert petition.subject in page
        assert "Leonor" not in page and "Vázquez" not in page and "leonor.vazquez" not in page


def test_the_public_list_orders_filters_and_pages():
    semovi, sep = make_entity("SEMOVI"), make_entity("SEP", "Secretaría de Educación Pública")
    quiet = published(semovi)
    popular = actions.do_publish_petition(
        make_public_petition(make_citizen(), sep, subject="Más escuelas de tiempo completo"), make_moderator()
    )
    actions.do_support_petition(popular, make_verified_citizen())
    make_public_petition(make_citizen(), sep, subject="Pendiente de moderar")
    page = Client().get("/participa/peticiones/").content.decode()
    assert page.index(popular.subject) < page.index(quiet.subject) and "Pendiente de moderar" not in page
    newest = Client().get("/participa/peticiones/?orden=recientes").content.decode()
    assert newest.index(popular.subject) < newest.index(quiet.subject)
    only_semovi = Client().get("/participa/peticiones/?institucion=SEMOVI").content.decode()
    assert quiet.subject in only_semovi and popular.subject not in only_semovi
    bad = Client().get("/participa/peticiones/?orden=peores&institucion=XX")
    assert bad.status_code == 400 and "Elija un orden de la lista." in bad.content.decode()
    assert Client().get("/participa/peticiones/?pagina=9999").status_code == 200


def test_unknown_or_private_folios_answer_404_on_the_public_addresses():
    private = make_petition(make_citizen(), make_entity("SEMOVI"))
    client = signed_in(make_verified_citizen())
    for folio in (private.folio, "no-es-un-folio", "2026-AAAA-AAAA-A"):
        assert client.get(f"/participa/peticiones/{folio}/").status_code == 404
        assert client.post(f"/participa/peticiones/{folio}/apoyar/").status_code == 404


def test_the_entity_admin_sets_the_period_and_thresholds_on_the_term_page():
    agency = make_entity("SEMOVI")
    admin = make_account(email="admin@semovi.gob.mx")
    do_grant_role(admin, agency, Role.ENTITY_ADMIN)
    client = client_for(admin)
    url = "/participa/gestion/plazo/SEMOVI/"
    page = client.get(url).content.decode()
    assert "Meses para recibir apoyos" in page and 'value="10000"' in page
    crossed = client.post(url, {"dias": "45", "meses": "3", "umbral_respuesta": "500", "umbral_audiencia": "100"})
    assert crossed.status_code == 400 and "debe ser mayor que el de respuesta" in crossed.content.decode()
    assert queries.public_settings_for(agency) == queries.PublicSettings()
    bad = client.post(url, {"dias": "45", "meses": "30"})
    assert bad.status_code == 400 and "Escriba un periodo de 1 a 24 meses." in bad.content.decode()
    assert client.post(url, {"dias": "30", "meses": "3", "umbral_respuesta": "500"}).status_code == 302
    assert queries.public_settings_for(agency) == queries.PublicSettings(3, 500, 100_000)
    assert queries.term_days_for(agency) == 30


@pytest.mark.parametrize(
    ("decide", "expected"),
    [
        (lambda p, m, o: actions.do_publish_petition(p, m), "recibe apoyos de personas con cuenta verificada hasta el"),
        (
            lambda p, m, o: actions.do_reject_petition(p, m, RejectionReason.values[0]),
            "No se publicará, por esta regla de publicación: " + str(RejectionReason(RejectionReason.values[0]).label),
        ),
        (lambda p, m, o: actions.do_mark_duplicate(p, m, o), "pide lo mismo que la petición pública"),
    ],
    ids=["published", "rejected", "duplicate"],
)
def test_the_author_is_told_what_the_moderators_decided(decide, expected):
    original = published()
    author = make_citizen("leonor.autora@example.com", first_name="Leonor")
    petition = make_public_petition(author, original.agency, subject="Semáforos en Insurgentes")
    decide(petition, make_moderator(), original)
    notice = Notification.objects.get(event="petition.moderated", recipient="leonor.autora@example.com")
    assert expected in notice.body and petition.folio in notice.subject
    assert f"/participa/peticiones/mias/{petition.folio}/" in notice.body
    if "duplicate" in expected or "pide lo mismo" in expected:
        assert original.folio in notice.body and f"/participa/peticiones/{original.folio}/" in notice.body


def test_the_supporters_hear_of_each_threshold_once_by_email():
    agency = make_entity("SEMOVI")
    actions.do_set_public_settings(agency, support_months=6, answer_threshold=2, hearing_threshold=3)
    petition = published(agency)
    first, second, third = make_verified_citizen(), make_verified_citizen(), make_verified_citizen()
    actions.do_support_petition(petition, first)
    actions.do_support_petition(petition, second)  # crosses 2: the task runs (immediately in the tests)
    notices = Notification.objects.filter(event="petition.threshold_supporters")
    assert sorted(notices.values_list("recipient", flat=True)) == sorted([first.email, second.email])
    assert {notice.channel for notice in notices} == {"email"}
    assert "alcanzó 2 apoyos" in notices.first().subject and petition.folio in notices.first().body
    assert supports.do_notify_supporters(petition.pk, 2) == 2 and notices.count() == 2  # again: nothing new
    actions.do_withdraw_support(petition, first)
    actions.do_support_petition(petition, third)  # back to 2, no new threshold
    assert notices.count() == 2
    actions.do_support_petition(petition, first)  # crosses 3
    assert notices.filter(subject__contains="alcanzó 3 apoyos").count() == 3
