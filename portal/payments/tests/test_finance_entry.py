"""Finance staff who do no case work find their pages from the back office's door, /oficina/."""

from __future__ import annotations

import pytest

from portal.agencies.tests.factories import make_agency
from testing.clients import client_for

from .finance_world import make_finance_person

pytestmark = pytest.mark.django_db


def test_oficina_sends_finance_staff_to_their_payments_pages():
    person = make_finance_person(make_agency("COBRA"))
    response = client_for(person).get("/oficina/")
    assert response.status_code == 302 and response.url == "/oficina/pagos/"
