"""«Visitas» in the admin: the portal's administrators see everything, an entity's editors their entity only (another
entity's figures are a 404), the chart is accessible SVG with its table, the CSV holds the same figures, and a period
not offered is a 400 with a Spanish message."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.insights.models import DailyAudience, DailyPageVisits
from portal.insights.recording import local_day
from portal.insights.tests.factories import staff
from portal.services.tests.factories import make_service
from testing.clients import client_for

pytestmark = pytest.mark.django_db

BASE = "/admin/visitas/"


@pytest.fixture
def world():
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    sheet = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    passport = make_service(sre, homoclave="SRE-02-002", title="Pasaporte ordinario")
    today = local_day(timezone.now())
    for agency, service, path, visits, referrer in [
        (imss, sheet, "/tramites/IMSS-02-008/", 40, "www.google.com"),
        (sre, passport, "/tramites/SRE-02-002/", 700, "www.facebook.com"),
    ]:
        DailyPageVisits.objects.create(
            day=today,
            host="testserver",
            path=path,
            device="mobile",
            referrer_host=referrer,
            agency=agency,
            service=service,
            visits=visits,
            visitors=visits // 2,
        )
        DailyAudience.objects.create(
            day=today, agency=agency, visits=visits, visitors=visits // 2, mobile_visitors=visits // 2
        )
    DailyAudience.objects.create(
        day=today, agency=None, visits=740, visitors=370, mobile_visitors=144, desktop_visitors=226
    )
    DailyAudience.objects.create(
        day=today - dt.timedelta(days=20), agency=None, visits=5, visitors=5, desktop_visitors=5
    )
    return imss, sre


def test_an_editor_sees_their_entity_and_not_another(world):
    imss, sre = world
    client = client_for(staff("editor@imss.gob.mx", imss, Role.EDITOR))
    response = client.get(BASE)
    assert response.status_code == 302 and response["Location"] == f"{BASE}instituciones/{imss.pk}/"
    page = client.get(f"{BASE}instituciones/{imss.pk}/").content.decode()
    assert "Cambio de clínica" in page and "www.google.com" in page
    assert "Pasaporte ordinario" not in page and "www.facebook.com" not in page
    assert client.get(f"{BASE}instituciones/{sre.pk}/").status_code == 404
    assert client.get(f"{BASE}instituciones/{sre.pk}/csv/").status_code == 404
    refused = client.get(f"{BASE}portal/")  # Wagtail's answer to PermissionDenied: back to the admin's home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_staff_without_a_visit_role_see_nothing(world):
    imss, _sre = world
    client = client_for(staff("finanzas@imss.gob.mx", imss, Role.FINANCE))
    assert client.get(BASE)["Location"] == "/admin/"
    assert client.get(f"{BASE}instituciones/{imss.pk}/").status_code == 404


def test_the_portal_dashboard_shows_totals_device_share_chart_and_its_table(world, admin_user):
    client = client_for(admin_user)
    assert client.get(BASE)["Location"] == f"{BASE}portal/"
    response = client.get(f"{BASE}portal/?periodo=30")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and '<title id="visits-per-day-title">' in page and "<desc id=" in page
    assert "Pasaporte ordinario" in page and "Cambio de clínica" in page
    assert "745" in page  # visits of the 30 days
    assert "38.4 %" in page  # 144 mobile visitors of 375
    assert page.count('<tr><th scope="row">') >= 30  # the chart's data table, one row a day


def test_the_period_changes_what_is_counted(world, admin_user):
    client = client_for(admin_user)
    page = client.get(f"{BASE}portal/?periodo=7").content.decode()
    assert "740" in page and "745" not in page


def test_a_period_not_offered_is_a_clear_400(world, admin_user):
    client = client_for(admin_user)
    response = client.get(f"{BASE}portal/?periodo=365")
    assert response.status_code == 400
    assert "Elija un periodo de la lista" in response.content.decode()
    assert client.get(f"{BASE}portal/csv/?periodo=abc").status_code == 400


def test_the_csv_holds_the_same_figures(world, admin_user):
    imss, _sre = world
    client = client_for(admin_user)
    response = client.get(f"{BASE}instituciones/{imss.pk}/csv/?periodo=7")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "sección"
    assert ["trámite", "IMSS-02-008", "Cambio de clínica", "40", "", ""] in rows
    assert ["procedencia", "www.google.com", "", "40", "", ""] in rows
    total = next(row for row in rows if row[0] == "total")
    assert total[3:5] == ["40", "20"]
