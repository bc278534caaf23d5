"""English pages say when their content exists only in Spanish, and mark that content lang="es"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.agencies.tests.factories import make_agency
from portal.core import business_days
from portal.core.models import NonWorkingDay
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db
NOTICE = 'id="aviso-idioma"'


def test_an_english_service_sheet_says_its_content_is_in_spanish(client):
    service = make_service(make_agency("SRE", name="Secretaría de Relaciones Exteriores"), title="Pasaporte ordinario")
    english = client.get(f"/en/tramites/{service.homoclave}/").content.decode()
    assert NOTICE in english
    assert re.search(r'<h1 lang="es"[^>]*>Pasaporte ordinario</h1>', english)
    assert NOTICE not in client.get(f"/tramites/{service.homoclave}/").content.decode()


def test_an_english_agency_page_says_its_content_is_in_spanish(client):
    agency = make_agency("SRE", name="Secretaría de Relaciones Exteriores", slug="sre")
    english = client.get(f"/en/{agency.slug}/").content.decode()
    assert NOTICE in english
    assert 'lang="es"' in english
    assert NOTICE not in client.get(f"/{agency.slug}/").content.decode()


def test_the_english_non_working_days_mark_the_reasons_as_spanish(client):
    year = business_days.today().year
    NonWorkingDay.objects.update_or_create(
        date=dt.date(year, 11, 2), defaults={"description": "Día de Muertos", "source": "DOF 2026-01-15"}
    )
    english = client.get("/en/dias-inhabiles/").content.decode()
    assert NOTICE in english
    assert '<span lang="es">Día de Muertos</span>' in english
    assert NOTICE not in client.get("/dias-inhabiles/").content.decode()
