"""/estadisticas/: each headline figure is counted from the portal's own rows (not typed in), the visits are the
finished days', and the visits are open data too."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from portal.agencies.tests.factories import make_agency
from portal.insights import statistics
from portal.insights.models import DailyAudience
from portal.insights.recording import local_day
from portal.participation.tests.factories import make_citizen, make_petition
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_world():
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_service(sre, homoclave="SRE-02-002", digitization=4)
    make_service(sre, homoclave="SRE-01-001", digitization=1)
    make_service(sre, homoclave="SRE-03-001", digitization=3)
    make_petition(make_citizen(), sre)
    today = local_day(timezone.now())
    for offset, (visits, visitors, mobile) in enumerate([(999, 999, 999), (100, 80, 40), (300, 120, 30)]):
        DailyAudience.objects.create(
            day=today - dt.timedelta(days=offset),  # today's (offset 0) is not finished: not counted
            visits=visits,
            visitors=visitors,
            mobile_visitors=mobile,
            desktop_visitors=visitors - mobile,
        )
    return sre


def test_the_headline_counts_the_catalogue_participation_and_finished_days_visits(portal_world):
    figures = statistics.headline()
    assert (figures.services, figures.online_services, figures.entities) == (3, 2, 2)
    assert figures.online_share == 66.7
    assert (figures.petitions, figures.petitions_answered) == (1, 0)
    assert (figures.visits, figures.visitors) == (400, 200)
    assert figures.mobile_share == 35.0  # 70 of 200


def test_the_page_shows_each_figure_with_its_open_data():
    make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    response = Client().get("/estadisticas/")
    assert response.status_code == 200
    page = response.content.decode()
    for link in ("/datos/tramites.csv", "/datos/instituciones.csv", "/datos/visitas.csv", "/api/v1/"):
        assert f'href="{link}' in page
    assert "sin datos todavía" in page  # no visit counted yet: said, not shown as 0 %


def test_the_visits_are_open_data_by_finished_day(portal_world):
    response = Client().get("/datos/visitas.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["visitas"] for row in rows] == ["300", "100"]
    assert rows[1]["visitantes_celular"] == "40"
    assert "999" not in str(rows)
    again = Client().get("/datos/visitas.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
