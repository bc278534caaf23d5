import pytest

from portal.reports import actions, crypto
from portal.reports.models import EventKind, InvestigatorKey, Report, ReportFile, ReportKeyWrap, ReportStatus
from portal.reports.tests.factories import PASSWORD, file_report, jpeg_with_exif, make_entity, make_investigator

pytestmark = pytest.mark.django_db


def test_filing_seals_everything_and_the_receipt_opens_it():
    agency = make_entity("SALUD")
    investigator = make_investigator(agency)
    filed = file_report(agency, files=[jpeg_with_exif()])
    report = Report.objects.get(pk=filed.report.pk)
    assert report.agency == agency and report.status == ReportStatus.RECEIVED
    assert b"2,000 pesos" not in bytes(report.sealed_content)
    assert len(filed.receipt) == 16

    reporter = actions.check_receipt(filed.receipt)
    assert reporter is not None and reporter.report_id == report.pk
    content = actions.open_content(report, reporter.report_key)
    assert "2,000 pesos" in content["what"] and content["identified"] is False and content["digest"]

    private_key = actions.unlock_investigator_key(investigator, PASSWORD)
    assert actions.unwrap_for_investigator(report, investigator, private_key) == reporter.report_key
    assert list(report.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]


def test_a_wrong_receipt_opens_nothing():
    agency = make_entity("SALUD")
    make_investigator(agency)
    filed = file_report(agency)
    wrong = "0000000000000000" if filed.receipt != "0000000000000000" else "1111111111111111"
    assert actions.check_receipt(wrong) is None


def test_evidence_keeps_its_metadata_unless_the_reporter_strips_images():
    agency = make_entity("SALUD")
    make_investigator(agency)
    kept = actions.prepare_evidence([jpeg_with_exif()], strip_images=False)[0]
    stripped = actions.prepare_evidence([jpeg_with_exif()], strip_images=True)[0]
    assert b"CamaraDePrueba" in kept.content and not kept.stripped
    assert b"CamaraDePrueba" not in stripped.content and stripped.stripped


def test_stored_files_are_sealed_and_open_with_the_report_key():
    agency = make_entity("SALUD")
    make_investigator(agency)
    filed = file_report(agency, files=[jpeg_with_exif()])
    record = ReportFile.objects.get(report=filed.report)
    from portal.applications.uploads import private_storage  # noqa: PLC0415 - read the raw stored bytes

    with private_storage().open(record.storage_name, "rb") as handle:
        assert b"CamaraDePrueba" not in handle.read()
    reporter = actions.check_receipt(filed.receipt)
    data, meta = actions.read_file(filed.report, reporter.report_key, record)
    assert b"CamaraDePrueba" in data and meta["name"] == "foto.jpg"


def test_a_report_naming_the_control_body_goes_to_the_alternative_body():
    agency = make_entity("SALUD")
    make_investigator(agency)
    national = make_entity("SABG", "Secretaría Anticorrupción y Buen Gobierno")
    make_investigator(national)
    filed = file_report(agency, names_control_staff=True)
    assert filed.report.agency == national


def test_a_body_without_investigators_sends_its_reports_to_the_fallback():
    agency = make_entity("SALUD")
    national = make_entity("SABG", "Secretaría Anticorrupción y Buen Gobierno")
    make_investigator(national)
    assert file_report(agency).report.agency == national


def test_investigators_without_a_key_get_no_wrap():
    agency = make_entity("SALUD")
    with_key = make_investigator(agency)
    make_investigator(agency, with_key=False)
    filed = file_report(agency)
    assert list(ReportKeyWrap.objects.filter(report=filed.report).values_list("investigator", flat=True)) == [
        with_key.pk
    ]


def test_the_reporter_replies_and_a_closed_report_takes_nothing():
    agency = make_entity("SALUD")
    make_investigator(agency)
    filed = file_report(agency)
    reporter = actions.check_receipt(filed.receipt)
    actions.do_reporter_reply(reporter, "Tengo otra fotografía.")
    messages = actions.open_messages(filed.report, reporter.report_key)
    assert [message.text for message in messages] == ["Tengo otra fotografía."]
    Report.objects.filter(pk=filed.report.pk).update(status=ReportStatus.CLOSED)
    with pytest.raises(actions.ReportRefused):
        actions.do_reporter_reply(reporter, "Otra cosa")


def test_an_identified_report_requires_a_name_and_an_anonymous_one_keeps_none():
    agency = make_entity("SALUD")
    make_investigator(agency)
    with pytest.raises(actions.ReportRefused):
        file_report(agency, identified=True, reporter_name="")
    filed = file_report(agency, identified=False, reporter_name="No debe guardarse")
    reporter = actions.check_receipt(filed.receipt)
    assert actions.open_content(filed.report, reporter.report_key)["reporter_name"] == ""


def test_a_password_change_relocks_the_investigator_key():
    agency = make_entity("SALUD")
    investigator = make_investigator(agency)
    before = actions.unlock_investigator_key(investigator, PASSWORD)
    actions.do_relock_investigator_key(investigator, PASSWORD, "otra-clave-nueva-2")
    with pytest.raises(actions.WrongPassword):
        actions.unlock_investigator_key(investigator, PASSWORD)
    assert bytes(actions.unlock_investigator_key(investigator, "otra-clave-nueva-2")) == bytes(before)
    assert InvestigatorKey.objects.filter(user=investigator).count() == 1
    assert crypto.argon2_cost().opslimit == 1  # the test settings' cost


def test_a_receipt_check_costs_one_slow_hash_whether_or_not_a_report_exists(monkeypatch):
    agency = make_entity("SALUD")
    make_investigator(agency)
    filed = file_report(agency)
    calls = []
    real = crypto.slow_hash
    monkeypatch.setattr(crypto, "slow_hash", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    assert actions.check_receipt(filed.receipt) is not None
    opened = len(calls)
    wrong = "0000000000000000" if filed.receipt != "0000000000000000" else "1111111111111111"
    assert actions.check_receipt(wrong) is None
    assert opened == 1 and len(calls) == 2
