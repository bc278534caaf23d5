"""The middleware records the pages people see, and nothing else: not bots, not POSTs, not errors, not the staff's or
the admin's pages; and what it records holds no address and no user agent."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency
from portal.insights import middleware, recording
from portal.insights.models import PageEvent
from portal.services.tests.factories import make_service

from .factories import DESKTOP, GOOGLEBOT, IPHONE

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.45"


@pytest.fixture
def sheet():
    return make_service(make_agency("IMSS", name="Instituto Mexicano del Seguro Social"), homoclave="IMSS-02-008")


def browser(user_agent: str = IPHONE, **headers) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ADDRESS, **headers)


def test_a_person_seeing_a_sheet_is_recorded_with_device_referrer_and_language(sheet):
    response = browser(HTTP_REFERER="https://www.google.com/search?q=imss").get("/tramites/IMSS-02-008/?x=1")
    assert response.status_code == 200
    assert recording.flush() == 1
    event = PageEvent.objects.get()
    assert (event.host, event.path, event.device, event.referrer_host) == (
        "testserver",
        "/tramites/IMSS-02-008/",
        "mobile",
        "www.google.com",
    )
    assert event.language == "es"
    assert event.at.second == 0 and event.at.microsecond == 0
    assert len(event.visitor) == 16


def test_pages_served_from_the_page_cache_are_counted_too(sheet):
    client = browser(DESKTOP)
    first = client.get("/tramites/IMSS-02-008/")
    second = client.get("/tramites/IMSS-02-008/")
    assert first.content == second.content
    assert recording.flush() == 2
    assert PageEvent.objects.filter(device="desktop").count() == 2


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/mi-expediente/solicitudes/2026-Q10R-PVPC-8/", "/mi-expediente/"),
        ("/en/mi-expediente/solicitudes/2026-Q10R-PVPC-8/", "/en/mi-expediente/"),
        ("/pagos/0b6f3c1e-8a55-4c1e-9a0c-4a1d2b3c4d5e/", "/pagos/"),
        ("/verificar/ABCD-1234/", "/verificar/"),
        ("/participa/denuncia/seguimiento/", "/participa/denuncia/"),
        (
            "/tramites/SRE-02-002/solicitar/0b6f3c1e-8a55-4c1e-9a0c-4a1d2b3c4d5e/revisar/",
            "/tramites/SRE-02-002/solicitar/",
        ),
        ("/tramites/SRE-02-002/solicitar/", "/tramites/SRE-02-002/solicitar/"),
        ("/tramites/SRE-02-002/", "/tramites/SRE-02-002/"),
        ("/en/tramites/", "/en/tramites/"),
    ],
)
def test_a_persons_own_pages_are_kept_without_what_identifies_them(path, kept):
    assert middleware.recorded_path(path) == kept


def test_a_case_page_is_counted_under_its_section(sheet):
    client = browser(DESKTOP)
    client.force_login(make_account(email="ana@example.mx"))
    assert client.get("/mi-expediente/").status_code == 200
    recording.flush()
    assert PageEvent.objects.get().path == "/mi-expediente/"


def test_a_link_from_our_own_host_is_no_referrer(sheet):
    browser(HTTP_REFERER="http://testserver/tramites/").get("/tramites/IMSS-02-008/")
    recording.flush()
    assert PageEvent.objects.get().referrer_host == ""


def test_bots_posts_errors_prefetches_and_staff_pages_are_not_recorded(sheet, admin_user):
    browser(GOOGLEBOT).get("/tramites/IMSS-02-008/")
    browser("curl/8.5.0").get("/tramites/IMSS-02-008/")
    browser(HTTP_SEC_PURPOSE="prefetch").get("/tramites/IMSS-02-008/")
    Client(REMOTE_ADDR=ADDRESS).get("/tramites/IMSS-02-008/")  # no user agent at all
    browser().post("/tramites/IMSS-02-008/")
    assert browser().get("/tramites/NO-EXISTE-999/").status_code == 404
    browser().get("/healthz")
    staff = browser()
    staff.force_login(admin_user)
    assert staff.get("/admin/").status_code in (200, 302)
    staff.get("/oficina/")
    staff.get("/api/v1/servicios")
    recording.flush()
    assert PageEvent.objects.count() == 0
    assert recording.stats()["bots"] >= 1


def test_no_address_and_no_user_agent_reach_the_database(sheet):
    browser(IPHONE).get("/tramites/IMSS-02-008/")
    recording.flush()
    row = PageEvent.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert ADDRESS not in stored
    assert "iPhone" not in stored and "Mozilla" not in stored
    fields = {field.name for field in PageEvent._meta.get_fields()}
    assert not fields & {"ip", "address", "user_agent", "cookie", "session"}


def test_nothing_is_recorded_with_analytics_off(sheet, settings):
    settings.INSIGHTS_ANALYTICS = False
    browser().get("/tramites/IMSS-02-008/")
    assert recording.pending() == 0


def test_a_full_buffer_drops_and_counts_without_failing_the_page(sheet, settings):
    settings.INSIGHTS_BUFFER_MAX = 1
    before = recording.stats()["dropped"]
    assert browser().get("/tramites/IMSS-02-008/").status_code == 200
    assert browser().get("/tramites/IMSS-02-008/").status_code == 200
    assert recording.pending() == 1
    assert recording.stats()["dropped"] == before + 1
