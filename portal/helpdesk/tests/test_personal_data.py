"""A person's download includes the tickets sent from their account or to its address; closing the account erases
their personal data from those tickets and leaves others' alone."""

from __future__ import annotations

import pytest

from portal.accounts import personal_data
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.helpdesk import actions
from portal.helpdesk.models import Ticket

from .factories import QUESTION, make_helpdesk_staff, make_ticket

pytestmark = pytest.mark.django_db


def test_the_download_and_the_closure_cover_the_persons_tickets():
    personal_data.autodiscover()
    person = make_account(email="rosa@example.com")
    imss = make_agency("IMSS", workspace=False)
    by_address = make_ticket(agency=imss, email="Rosa@example.com")
    actions.do_answer(by_address, make_helpdesk_staff(imss), "Ya quedó su registro.")
    by_account = actions.do_open_ticket(question=QUESTION, email="rosa.trabajo@example.com", user=person)
    someone_else = make_ticket(email="otra@example.com")

    exported = personal_data.exporters()["preguntas_de_ayuda"](person)
    assert {row["folio"] for row in exported} == {by_address.folio, by_account.folio}
    answered = next(row for row in exported if row["folio"] == by_address.folio)
    assert answered["pregunta"] == QUESTION and answered["conversacion"][0]["texto"] == "Ya quedó su registro."

    personal_data.erasers()["preguntas_de_ayuda"](person)
    for ticket in (by_address, by_account):
        ticket.refresh_from_db()
        assert (ticket.email, ticket.question, ticket.user) == ("", "", None) and ticket.erased_at is not None
    assert not ticket.events.exclude(text="").exists()
    assert Ticket.objects.get(pk=someone_else.pk).email == "otra@example.com"
    assert personal_data.exporters()["preguntas_de_ayuda"](person) == []
