"""ESTADO by SMS: the status of a case for its applicant's verified phone, or with folio and CURP; nothing else."""

from __future__ import annotations

import importlib
import itertools

import pytest

from portal.accounts.tests.factories import make_account
from portal.applications.models import Application, ApplicationStatus
from portal.notifications import actions
from portal.notifications.models import InboundOutcome, NotificationTemplate
from portal.notifications.sms import sms_info
from portal.registry.tests.factories import make_person
from testing.servers import run_worker, wait_until

from .factories import submitted_application

pytestmark = pytest.mark.django_db
PHONE = "+525522220000"
_ids = itertools.count(1)
_reply_seed = importlib.import_module("portal.notifications.migrations.0005_seed_sms_reply_template")


@pytest.fixture(autouse=True)
def reply_template():
    for template in _reply_seed.TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=template["event"], channel=template["channel"], language="es", defaults={"body": template["body"]}
        )


@pytest.fixture
def case():
    return _make_case()


def _make_case():
    applicant = make_account(email="estado@example.mx", phone=PHONE)
    application = submitted_application(applicant=applicant, status=ApplicationStatus.IN_REVIEW)
    curp = make_person().curp
    Application.objects.filter(pk=application.pk).update(applicant_curp=curp)
    application.applicant_curp = curp
    return application


def texted(sender: str, text: str) -> str:
    received = actions.do_receive_sms(f"estado-{next(_ids)}", sender, text)
    assert received.record.reply is not None
    return received.record.reply.body


def test_the_applicants_verified_phone_gets_the_status_and_due_date_in_one_sms(case):
    reply = texted(PHONE, f"estado {case.folio.lower()}")
    assert reply == f"Ventanilla. Folio {case.folio}: En revision. Respuesta a mas tardar el {case.due_date:%d/%m/%Y}."
    assert sms_info(reply).segments == 1
    assert sms_info(reply).encoding == "gsm7"
    assert case.applicant_name.split()[0] not in reply


def test_a_folio_typed_in_pieces_and_with_accents_on_the_command_is_understood(case):
    pieces = case.folio.replace("-", " ")
    assert texted(PHONE, f"  Éstado   {pieces} ").startswith(f"Ventanilla. Folio {case.folio}:")


def test_folio_and_curp_answer_from_any_phone(case):
    reply = texted("+525522229999", f"ESTADO {case.folio} {case.applicant_curp.lower()}")
    assert reply.startswith(f"Ventanilla. Folio {case.folio}: En revision.")


def test_another_number_an_unverified_phone_a_wrong_curp_and_an_unknown_folio_get_the_same_reply(case):
    make_account(email="otra@example.mx", phone="+525522221111", verified=False)
    other_case = submitted_application()
    unknown = texted("+525522228888", f"ESTADO {case.folio}")
    assert "no encontramos esa solicitud" in unknown
    assert texted("+525522221111", f"ESTADO {case.folio}") == unknown
    assert texted("+525522228888", f"ESTADO {case.folio} {make_person().curp}") == unknown
    assert texted("+525522228888", f"ESTADO {case.folio} ABCDEFGHIJKLMNOPQR") == unknown
    assert texted(PHONE, f"ESTADO {other_case.folio}") == unknown  # someone else's case, from a verified phone
    assert sms_info(unknown).segments == 1


def test_a_mistyped_folio_says_so_and_a_missing_one_says_what_to_send(case):
    wrong = case.folio[:-1] + ("2" if case.folio[-1] != "2" else "3")
    assert "folio" in texted(PHONE, f"ESTADO {wrong}").lower()
    assert "ESTADO" in texted(PHONE, "estado")


def test_the_command_is_recorded_without_its_folio(case):
    received = actions.do_receive_sms("estado-record", PHONE, f"ESTADO {case.folio}")
    assert (received.record.command, received.record.outcome) == ("ESTADO", InboundOutcome.ANSWERED)
    assert case.folio not in str(received.record.__dict__)


# --- Through the real gateway --------------------------------------------------------------------------------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "notifications"]}
    }


@pytest.fixture
def gateway_case(kannel_inbound, transactional_db):
    """A case in a live-server test. The root conftest puts Wagtail's skeleton back after a flush only for tests
    without a live server (functional_tests does it for its own), and an agency's workspace needs the root page."""
    from functional_tests.data import ensure_cms_baseline  # test helpers, imported only by the test that needs them

    ensure_cms_baseline()
    return _make_case()


@pytest.mark.django_db(transaction=True)
def test_estado_from_the_verified_phone_through_kannel_gets_the_status_and_another_phone_does_not(
    kannel_inbound, database_queue, gateway_case
):
    case = gateway_case
    stranger = "+525522227777"
    before = len(kannel_inbound.relay.statuses)
    for number in (PHONE, stranger):
        kannel_inbound.send_from_phone(number, f"Estado {case.folio}")
    wait_until(lambda: len(kannel_inbound.relay.statuses) >= before + 2, 15, what="Kannel to call the portal twice")
    run_worker()
    wait_until(
        lambda: kannel_inbound.texts_to(PHONE) and kannel_inbound.texts_to(stranger), what="both replies at the SMSC"
    )
    assert kannel_inbound.texts_to(PHONE) == [
        f"Ventanilla. Folio {case.folio}: En revision. Respuesta a mas tardar el {case.due_date:%d/%m/%Y}."
    ]
    [reply] = kannel_inbound.texts_to(stranger)
    assert "no encontramos esa solicitud" in reply
    assert "En revision" not in reply
