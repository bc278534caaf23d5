"""A sheet read in English: its chrome is English, its content (written by the agency in Spanish) is marked
``lang="es"`` so screen readers read it with Spanish pronunciation, and in Spanish nothing is marked."""

from __future__ import annotations

import re

import pytest

from portal.agencies.tests.factories import make_agency
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_the_english_sheet_marks_the_spanish_content(client):
    service = make_service(make_agency("LANG"), homoclave="LANG-01-001")
    body = client.get(f"/en/tramites/{service.homoclave}/").content.decode()
    assert re.search(r'<strong lang="es">\s*Identificación oficial\s*</strong>', body)
    assert re.search(r'<li lang="es">\s*Ley Federal de Procedimiento Administrativo', body)


def test_the_spanish_sheet_marks_nothing(client):
    service = make_service(make_agency("LANG"), homoclave="LANG-01-001")
    body = client.get(f"/tramites/{service.homoclave}/").content.decode()
    assert "<strong>Identificación oficial</strong>" in body
    assert 'lang="es">' not in body.split("<main", 1)[1]
