"""The demo loader makes investigators with keys and reports in every state through the actions, once."""

from __future__ import annotations

import pytest

from portal.agencies.queries import agency_by_acronym
from portal.participation.tests.test_demo import QuietSeed
from portal.reports import actions, casework, demo
from portal.reports.models import Classification, Report, ReportStatus

from .factories import make_entity

pytestmark = pytest.mark.django_db


class SpokenSeed(QuietSeed):
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, message: str) -> None:
        self.said.append(message)


def test_the_demo_makes_investigators_and_reports_in_every_state_once(settings):
    settings.DEBUG = True
    for acronym in demo.DEMO_BODIES:
        make_entity(acronym)
    seed = SpokenSeed()
    demo.load_demo(seed)
    demo.load_demo(seed)
    assert Report.objects.count() == len(demo.DEMO_REPORTS)
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert set(Report.objects.values_list("classification", flat=True)) == {"", *Classification.values}
    sabg = Report.objects.filter(agency__acronym="SABG")
    assert sabg.count() == 3  # its own, the one naming IMSS's control body, the one forwarded from Colima
    assert Report.objects.filter(awaiting_reporter=True).exists()
    assert Report.objects.filter(reporter_replied_at__isnull=False).exists()
    # Every demo investigator can open every report of their body.
    for acronym in demo.DEMO_BODIES:
        user, private_key = demo._investigator(agency_by_acronym(acronym))
        for report in Report.objects.filter(agency__acronym=acronym):
            assert actions.unwrap_for_investigator(report, user, private_key) is not None
        assert (
            casework.inbox(user, casework.InboxFilter.ALL).count()
            == Report.objects.filter(agency__acronym=acronym).count()
        )
    # The receipts are said once, to the console, and work.
    lines = [line for line in seed.said if line.startswith("  ")]
    assert len(lines) == len(demo.DEMO_REPORTS)
    receipt = lines[0].split(": ", 1)[1].replace(" ", "")
    assert actions.check_receipt(receipt) is not None
    assert "Denuncias de demostración: ya existen." in seed.said


def test_the_demo_makes_nothing_without_debug_or_accounts(settings):
    settings.DEBUG = False
    for acronym in demo.DEMO_BODIES:
        make_entity(acronym)
    demo.load_demo(QuietSeed())
    assert not Report.objects.exists()
