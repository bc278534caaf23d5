"""The demo loader writes three months of daily figures once, deterministic, with the seed's device share."""

from __future__ import annotations

import pytest

from portal.agencies.tests.factories import make_agency
from portal.insights import demo
from portal.insights.models import DailyAudience, DailyPageVisits
from portal.insights.queries import figures
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
    assert seed.said[-1].endswith("0 días de cifras.")
