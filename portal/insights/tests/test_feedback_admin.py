"""«Comentarios» in the admin: an entity's staff see their pages' answers and comments only (another entity's are a
404), the portal's administrators everything; comments are shown escaped; «Atendido» makes a worklist; the CSV holds
the same; satisfaction per service with its share satisfied; a period not offered is a 400."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.insights import queries
from portal.insights.models import PageFeedback, SatisfactionResponse
from portal.insights.recording import local_day
from portal.insights.tests.factories import staff
from portal.services.tests.factories import make_service
from testing.clients import client_for

pytestmark = pytest.mark.django_db

BASE = "/admin/visitas/comentarios/"


@pytest.fixture
def world():
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    clinic = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    passport = make_service(sre, homoclave="SRE-02-002", title="Pasaporte ordinario")
    now = timezone.now().replace(second=0, microsecond=0)
    rows = [
        (imss, clinic, "/tramites/IMSS-02-008/", False, "<script>alert(1)</script> no dice el horario"),
        (imss, clinic, "/tramites/IMSS-02-008/", True, ""),
        (imss, clinic, "/tramites/IMSS-02-008/", False, ""),
        (sre, passport, "/tramites/SRE-02-002/", False, "secreto de la SRE"),
    ]
    for agency, service, path, useful, comment in rows:
        PageFeedback.objects.create(
            at=now, host="testserver", path=path, agency=agency, service=service, useful=useful, comment=comment
        )
    PageFeedback.objects.create(
        at=now - dt.timedelta(days=40), host="testserver", path="/tramites/IMSS-02-008/", agency=imss, useful=False
    )
    today = local_day(now)
    for number, rating in enumerate([5, 4, 4, 2, 1]):
        SatisfactionResponse.objects.create(
            day=today,
            moment="submitted",
            rating=rating,
            channel="online",
            agency=imss,
            service=clinic,
            case_key=f"clave-{number}",
        )
    SatisfactionResponse.objects.create(
        day=today, moment="resolved", rating=3, channel="counter", agency=sre, service=passport, case_key="otra"
    )
    return imss, sre, clinic, passport


def test_satisfaction_by_service_counts_the_satisfied_share_and_each_rating(world):
    _imss, _sre, clinic, passport = world
    today = local_day(timezone.now())
    figures = queries.satisfaction_by_service(today - dt.timedelta(days=6), today)
    assert figures[clinic.pk] == queries.Satisfaction(
        responses=5, satisfied=3, score=0.6, by_rating={5: 1, 4: 2, 3: 0, 2: 1, 1: 1}
    )
    assert figures[passport.pk].score == 0.0
    assert set(queries.satisfaction_by_service(today, today, [passport.pk])) == {passport.pk}
    assert queries.satisfaction_by_service(today - dt.timedelta(days=9), today - dt.timedelta(days=8)) == {}


def test_page_feedback_by_path_counts_yes_no_and_comments_per_page(world):
    imss, _sre, _clinic, _passport = world
    today = local_day(timezone.now())
    rows = queries.page_feedback_by_path(today - dt.timedelta(days=29), today, imss.pk)
    assert rows == [queries.PageFeedbackRow("testserver", "/tramites/IMSS-02-008/", yes=1, no=2, comments=1)]
    assert len(queries.page_feedback_by_path(today - dt.timedelta(days=89), today, None)) == 2


def test_an_editor_sees_their_entity_comments_escaped_and_not_another_entity(world):
    imss, sre, _clinic, _passport = world
    client = client_for(staff("editor@imss.gob.mx", imss, Role.EDITOR))
    response = client.get(f"{BASE}instituciones/{imss.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; no dice el horario" in page and "<script>alert(1)" not in page
    assert "secreto de la SRE" not in page
    assert "Cambio de clínica" in page and "60.0 %" in page
    assert client.get(f"{BASE}instituciones/{sre.pk}/").status_code == 404
    assert client.get(f"{BASE}instituciones/{sre.pk}/csv/").status_code == 404
    assert client.get(f"{BASE}portal/")["Location"] == "/admin/"


def test_staff_mark_a_comment_attended_and_back_but_not_another_entity_one(world):
    imss, _sre, _clinic, _passport = world
    client = client_for(staff("editor@imss.gob.mx", imss, Role.EDITOR))
    ours = PageFeedback.objects.get(comment__startswith="<script>")
    theirs = PageFeedback.objects.get(comment="secreto de la SRE")
    back = f"{BASE}instituciones/{imss.pk}/?periodo=30"
    response = client.post(f"{BASE}{ours.pk}/atendido/", {"atendido": "si", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    ours.refresh_from_db()
    assert ours.handled_at is not None
    assert "Volver a pendiente" in client.get(back).content.decode()
    client.post(f"{BASE}{ours.pk}/atendido/", {"atendido": "no", "next": "https://evil.example/"})
    ours.refresh_from_db()
    assert ours.handled_at is None
    assert client.post(f"{BASE}{theirs.pk}/atendido/", {"atendido": "si"}).status_code == 404
    assert client.get(f"{BASE}{ours.pk}/atendido/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.handled_at is None


def test_the_portal_admin_sees_every_entity_and_the_period_filters(world, admin_user):
    client = client_for(admin_user)
    page = client.get(f"{BASE}portal/?periodo=7").content.decode()
    assert "secreto de la SRE" in page and "no dice el horario" in page and "Pasaporte ordinario" in page
    response = client.get(f"{BASE}portal/?periodo=365")
    assert response.status_code == 400 and "Elija un periodo de la lista" in response.content.decode()
    assert client.get(f"{BASE}portal/csv/?periodo=1").status_code == 400


def test_the_csv_holds_the_pages_comments_and_satisfaction(world, admin_user):
    imss, _sre, _clinic, _passport = world
    response = client_for(admin_user).get(f"{BASE}instituciones/{imss.pk}/csv/?periodo=90")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "sección"
    assert ["página", "testserver", "/tramites/IMSS-02-008/", "1", "3", "1", "", "", ""] in rows
    comment = next(row for row in rows if row[0] == "comentario")
    assert comment[7] == "<script>alert(1)</script> no dice el horario" and comment[8] == "no"
    satisfaction = next(row for row in rows if row[0] == "satisfacción")
    assert satisfaction[:5] == ["satisfacción", "IMSS-02-008", "Cambio de clínica", "3", "2"]
    assert not any("secreto" in cell for row in rows for cell in row)


def test_the_visits_dashboard_links_to_the_comments(world, admin_user):
    page = client_for(admin_user).get("/admin/visitas/portal/?periodo=7").content.decode()
    assert f'href="{BASE}portal/?periodo=7"' in page
