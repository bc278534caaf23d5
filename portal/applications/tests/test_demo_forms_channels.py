"""Every service the demo seed gives a published online form is found by the catalogue's «En línea» filter."""

from __future__ import annotations

import json

import pytest

from portal.online_forms.demo import demo_form_files, read_demo_form
from portal.services.management.demo_services import DEMO_DATA_DIR, service_files
from portal.services.models import Digitization, ServicePage


def _sheets() -> dict[str, dict]:
    """The demo catalogue's sheets by homoclave, as the seed reads them (one JSON file per agency)."""
    sheets = {}
    for path in service_files(DEMO_DATA_DIR):
        for sheet in json.loads(path.read_text(encoding="utf-8"))["services"]:
            sheets[sheet["homoclave"]] = sheet
    return sheets


@pytest.mark.django_db
def test_every_demo_service_with_an_online_form_has_the_online_channel():
    sheets = _sheets()
    problems = []
    for path in demo_form_files():
        homoclave = read_demo_form(path)["service"]
        sheet = sheets.get(homoclave)
        if sheet is None:
            problems.append(f"{path.name}: {homoclave} is not in the demo catalogue")
            continue
        page = ServicePage(online_url=sheet["online_url"], in_person=sheet["in_person"], fees=[])
        page.refresh_derived_fields()  # the rule that fills the catalogue's channel filter
        if not page.channel_online:
            problems.append(f"{homoclave}: no online_url, so the «En línea» filter hides its online form")
        if sheet["digitization"] < Digitization.ONLINE_APPLICATION:
            problems.append(f"{homoclave}: digitization {sheet['digitization']} says the form is not online")
    assert problems == []
