"""The public list of non-working days and their administration in the Wagtail admin."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.core.models import NonWorkingDay
from testing.clients import client_for

ADMIN_URL = "/admin/dias-inhabiles/"
PAGE_URL = "/dias-inhabiles/"


@pytest.fixture
def portal_admin(db):
    user = get_user_model().objects.create_user(username="admin-portal", email="admin@example.gob.mx")
    agency_actions.do_grant_portal_admin(user)
    return user


@pytest.fixture
def entity_admin(db):
    user = get_user_model().objects.create_user(username="admin-entidad", email="entidad@example.gob.mx")
    agency_actions.do_grant_role(user, make_agency("SEP"), Role.ENTITY_ADMIN)
    return user


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False)
def test_public_page_lists_this_and_next_years_days_with_their_legal_basis(client):
    assert reverse("core:non_working_days") == PAGE_URL
    response = client.get(PAGE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Días inhábiles de 2026" in html
    assert "Días inhábiles de 2027" in html
    assert "Días inhábiles de 2028" not in html
    assert 'datetime="2026-11-16"' in html  # third Monday of November
    assert 'datetime="2026-04-02"' in html  # Holy Thursday, seeded
    assert 'datetime="2027-03-26"' in html  # Holy Friday 2027, seeded
    assert "Ley Federal del Trabajo, art. 74" in html
    assert "jueves, 2 de abril de 2026" in html


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False)
def test_public_page_shows_a_newly_declared_day_despite_the_page_cache(client, django_capture_on_commit_callbacks):
    assert 'datetime="2026-12-28"' not in client.get(PAGE_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        NonWorkingDay.objects.create(
            date=datetime.date(2026, 12, 28), description="Periodo vacacional", source="DOF 2026-12-01"
        )
    html = client.get(PAGE_URL).content.decode()
    assert 'datetime="2026-12-28"' in html
    assert "DOF 2026-12-01" in html


@pytest.mark.django_db
def test_portal_admin_declares_a_non_working_day(portal_admin, django_capture_on_commit_callbacks):
    client = client_for(portal_admin)
    assert client.get(ADMIN_URL).status_code == 200
    assert client.get(f"{ADMIN_URL}new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{ADMIN_URL}new/",
            {"date": "2026-12-30", "description": "Periodo vacacional", "source": "DOF 2026-12-01"},
        )
    assert response.status_code == 302
    assert NonWorkingDay.objects.filter(date=datetime.date(2026, 12, 30)).exists()
    from portal.core import business_days

    assert not business_days.is_business_day(datetime.date(2026, 12, 30))


@pytest.mark.django_db
def test_admin_refuses_a_duplicate_or_a_labour_law_rest_day_with_a_clear_message(portal_admin):
    client = client_for(portal_admin)
    duplicate = client.post(f"{ADMIN_URL}new/", {"date": "2026-04-02", "description": "Jueves Santo", "source": "DOF"})
    assert duplicate.status_code == 200
    assert "Ese día ya está registrado como inhábil." in duplicate.content.decode()
    rest_day = client.post(f"{ADMIN_URL}new/", {"date": "2026-12-25", "description": "Navidad", "source": "DOF"})
    assert rest_day.status_code == 200
    assert "Ley Federal del Trabajo" in rest_day.content.decode()
    assert not NonWorkingDay.objects.filter(date=datetime.date(2026, 12, 25)).exists()


@pytest.mark.django_db
def test_agency_staff_cannot_change_the_calendar(entity_admin):
    client = client_for(entity_admin)
    assert client.get(ADMIN_URL).status_code in (302, 403)
    response = client.post(f"{ADMIN_URL}new/", {"date": "2026-12-31", "description": "Fin de año", "source": "DOF"})
    assert response.status_code in (302, 403)
    assert not NonWorkingDay.objects.filter(date=datetime.date(2026, 12, 31)).exists()
