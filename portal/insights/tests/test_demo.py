"""The demo loader writes three months of daily figures once, deterministic, with the seed's device share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.agencies.tests.factories import make_agency
from portal.insights import demo
from portal.insights.models import DailyAudience, DailyPageVisits, PageFeedback, SatisfactionResponse
from portal.insights.queries import figures, page_feedback_by_path, satisfaction_by_service
from portal.insights.recording import local_day
from portal.insights.screening import REDACTED
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


class SpokenSeed:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, message: str) -> None:
        self.said.append(message)


def test_the_demo_writes_three_months_of_figures_once():
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_service(imss, homoclave="IMSS-02-008")
    seed = SpokenSeed()
    demo.load_demo(seed)
    rows = sorted(DailyPageVisits.objects.values_list("day", "path", "device", "visits"))
    demo.load_demo(seed)
    assert sorted(DailyPageVisits.objects.values_list("day", "path", "device", "visits")) == rows
    assert DailyAudience.objects.filter(agency__isnull=True).count() == demo.DAYS
    assert DailyAudience.objects.filter(agency=imss).count() == demo.DAYS
    data = figures(None, 90)
    mobile = next(device for device in data.devices if device["device"] == "mobile")
    assert 30 <= mobile["share"] <= 45
    assert data.top_services[0]["service__homoclave"] == "IMSS-02-008"
    assert seed.said[-2].endswith("0 días de cifras.")


def test_the_demo_gives_services_with_a_form_a_year_of_kpis_once(client):
    from portal.applications.models import Application
    from portal.insights import kpis
    from portal.insights.models import ServiceKpi
    from portal.online_forms.tests.factories import published_form

    sre = make_agency("SRE")
    passport = make_service(sre, homoclave="SRE-02-002")
    published_form(passport)
    seed = SpokenSeed()

    demo.load_demo(seed)
    cases = Application.objects.count()
    demo.load_demo(seed)

    assert cases > 500
    assert Application.objects.count() == cases
    assert seed.said[-1].startswith("Indicadores de demostración: 0 solicitudes sintéticas")
    assert not Application.objects.filter(status__in=("submitted", "in_review", "draft")).exists()
    months = ServiceKpi.objects.filter(service=passport, months=1).count()
    assert months >= kpis.WINDOW
    html = client.get("/tramites/SRE-02-002/desempeno/").content.decode()
    assert "minutos" in html and "días" in html


def test_the_demo_writes_page_feedback_and_satisfaction_once_deterministically():
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    service = make_service(imss, homoclave="IMSS-02-008")
    demo.load_demo(SpokenSeed())
    answers = sorted(PageFeedback.objects.values_list("path", "useful", "comment"))
    surveys = sorted(SatisfactionResponse.objects.values_list("moment", "rating", "case_key"))
    demo.load_demo(SpokenSeed())
    assert sorted(PageFeedback.objects.values_list("path", "useful", "comment")) == answers
    assert sorted(SatisfactionResponse.objects.values_list("moment", "rating", "case_key")) == surveys
    assert len(answers) == 24 and len(surveys) == 24
    assert not any("55 1234 5678" in comment for _path, _useful, comment in answers)
    assert all(
        REDACTED not in comment or redacted
        for comment, redacted in PageFeedback.objects.values_list("comment", "redacted")
    )
    today = local_day(timezone.now())
    since = today - dt.timedelta(days=demo.FEEDBACK_DAYS)
    assert satisfaction_by_service(since, today)[service.pk].responses == 24
    row = page_feedback_by_path(since, today, imss.pk)[0]
    assert row.yes + row.no == 24
