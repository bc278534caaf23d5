"""The investigators' acts: each rule, each refusal, and what each leaves in the chain of custody (never content)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.agencies.actions import do_revoke_role
from portal.agencies.models import Role
from portal.reports import actions, casework, crypto, personal_data
from portal.reports.models import (
    Classification,
    EventKind,
    KeyHolder,
    Report,
    ReportEvent,
    ReportKeyWrap,
    ReportMessage,
    ReportNote,
    ReportStatus,
)
from portal.reports.tests.factories import PASSWORD, file_report, make_entity, make_investigator

pytestmark = pytest.mark.django_db
S = ReportStatus


@pytest.fixture
def body():
    agency = make_entity("SALUD", "Secretaría de Salud")
    investigator = make_investigator(agency)
    private_key = actions.unlock_investigator_key(investigator, PASSWORD)
    filed = file_report(agency)
    report = Report.objects.get(pk=filed.report.pk)
    report_key = actions.unwrap_for_investigator(report, investigator, private_key)
    assert report_key is not None
    return {
        "agency": agency,
        "investigator": investigator,
        "private_key": private_key,
        "report": report,
        "report_key": report_key,
        "receipt": filed.receipt,
    }


def kinds(report: Report) -> list[str]:
    return list(report.events.values_list("kind", flat=True))


def all_sealed_bytes() -> bytes:
    """Every binary value the reports' tables hold, to show a text is nowhere in clear."""
    parts: list[bytes] = []
    for report in Report.objects.all():
        parts += [bytes(report.sealed_content), bytes(report.sealed_resolution or b"")]
    parts += [bytes(value) for value in ReportMessage.objects.values_list("sealed_text", flat=True)]
    parts += [bytes(value) for value in ReportNote.objects.values_list("sealed_text", flat=True)]
    return b"".join(parts)


def test_a_question_is_sealed_waits_for_the_reporter_and_the_reporter_reads_it(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_ask_reporter(report, investigator, key, "¿En qué ventanilla ocurrió?")
    report.refresh_from_db()
    assert report.awaiting_reporter
    assert "¿En qué ventanilla ocurrió?".encode() not in all_sealed_bytes()
    reporter = actions.check_receipt(body["receipt"])
    assert [m.text for m in actions.open_messages(report, reporter.report_key)] == ["¿En qué ventanilla ocurrió?"]
    thread = casework.open_thread(report, key)
    assert thread[0].author_name == "Elena" and thread[0].sender == "investigator"
    assert kinds(report) == [EventKind.RECEIVED, EventKind.ASKED]
    event = report.events.get(kind=EventKind.ASKED)
    assert event.actor == investigator and event.item == ""


def test_the_reporters_answer_shows_as_a_new_reply_in_the_inbox_until_the_next_question(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_ask_reporter(report, investigator, key, "¿Tiene el recibo?")
    assert not casework.inbox(investigator).get(pk=report.pk).new_reply
    actions.do_reporter_reply(actions.check_receipt(body["receipt"]), "Sí, lo adjunto.")
    assert casework.inbox(investigator).get(pk=report.pk).new_reply
    casework.do_ask_reporter(report, investigator, key, "¿De qué fecha es?")
    assert not casework.inbox(investigator).get(pk=report.pk).new_reply


def test_an_empty_or_too_long_question_is_refused_with_a_specific_message(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    with pytest.raises(actions.ReportRefused, match="Escriba la pregunta"):
        casework.do_ask_reporter(report, investigator, key, "   ")
    with pytest.raises(actions.ReportRefused, match="caracteres; el máximo es"):
        casework.do_ask_reporter(report, investigator, key, "x" * (actions.MESSAGE_MAX_LENGTH + 1))
    assert not ReportMessage.objects.exists()


def test_an_action_is_an_internal_note_the_reporter_never_reads(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_record_action(report, investigator, key, "Se pidió la bitácora de la ventanilla.")
    assert b"bit\xc3\xa1cora" not in all_sealed_bytes()
    assert [note.text for note in casework.open_notes(report, key)] == ["Se pidió la bitácora de la ventanilla."]
    reporter = actions.check_receipt(body["receipt"])
    assert actions.open_messages(report, reporter.report_key) == []
    assert kinds(report)[-1] == EventKind.ACTION_RECORDED


def test_in_scope_moves_a_received_report_to_investigation_once(body):
    report, investigator = body["report"], body["investigator"]
    casework.do_classify_in_scope(report, investigator)
    report.refresh_from_db()
    assert (report.status, report.classification) == (S.IN_PROCESS, Classification.IN_SCOPE)
    event = report.events.get(kind=EventKind.CLASSIFIED)
    assert (event.from_status, event.to_status, event.actor) == (S.RECEIVED, S.IN_PROCESS, investigator)
    with pytest.raises(casework.WrongState, match="ya está clasificada como procedente"):
        casework.do_classify_in_scope(report, investigator)


def test_out_of_scope_seals_the_reason_for_the_reporter_and_closes_with_the_bodys_retention(body, settings):
    settings.REPORTS_RETENTION_DAYS = 90
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_classify_out_of_scope(report, investigator, key, "Los hechos no son de la competencia federal.")
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.classification == Classification.OUT_OF_SCOPE
    assert (report.delete_after - timezone.localdate(report.closed_at)).days == 90
    assert b"competencia federal" not in all_sealed_bytes()
    reporter = actions.check_receipt(body["receipt"])
    resolution = actions.open_resolution(report, reporter.report_key)
    assert resolution["kind"] == "out_of_scope" and "competencia federal" in resolution["text"]
    with pytest.raises(actions.ReportRefused, match="concluida"):
        actions.do_reporter_reply(reporter, "¿Por qué?")


def test_out_of_scope_needs_a_reason(body):
    with pytest.raises(actions.ReportRefused, match="Escriba el motivo"):
        casework.do_classify_out_of_scope(body["report"], body["investigator"], body["report_key"], "")
    body["report"].refresh_from_db()
    assert body["report"].status == S.RECEIVED


def test_closing_needs_an_investigation_and_an_outcome_and_uses_the_bodys_retention_days(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    with pytest.raises(casework.WrongState, match="Clasifique la denuncia antes de concluirla"):
        casework.do_close(report, investigator, key, "Sanción administrativa.")
    casework.do_classify_in_scope(report, investigator)
    with pytest.raises(actions.ReportRefused, match="Escriba el resultado"):
        casework.do_close(report, investigator, key, " ")
    casework.do_set_body_settings(body["agency"], None, 30)
    casework.do_close(report, investigator, key, "Se inició un procedimiento de responsabilidad administrativa.")
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.closed_at is not None
    assert (report.delete_after - timezone.localdate(report.closed_at)).days == 30
    assert actions.open_resolution(report, key)["kind"] == "outcome"
    event = report.events.get(kind=EventKind.CLOSED)
    assert (event.from_status, event.to_status) == (S.IN_PROCESS, S.CLOSED)


def test_a_closed_report_refuses_every_act(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_classify_out_of_scope(report, investigator, key, "No es competencia.")
    for act in (
        lambda: casework.do_ask_reporter(report, investigator, key, "¿Algo más?"),
        lambda: casework.do_record_action(report, investigator, key, "Nota"),
        lambda: casework.do_classify_in_scope(report, investigator),
        lambda: casework.do_classify_out_of_scope(report, investigator, key, "Otra vez"),
        lambda: casework.do_close(report, investigator, key, "Fin"),
        lambda: casework.do_forward_outside(report, investigator, key, "Fiscalía", "Mensaje"),
    ):
        with pytest.raises(casework.WrongState, match="ya está concluida"):
            act()
    report.refresh_from_db()
    acts = casework.acts_on_report(report, can_read=True)
    assert not (acts.can_ask or acts.can_note or acts.can_classify or acts.can_close)


def test_acts_are_closed_to_someone_who_cannot_read_the_report(body):
    acts = casework.acts_on_report(body["report"], can_read=False)
    assert not (acts.can_ask or acts.can_note or acts.can_classify or acts.can_close)
    assert casework.acts_on_report(body["report"], can_read=True).can_classify_in_scope


def test_forwarding_reencrypts_for_the_receiving_body_and_the_old_body_loses_access(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    other = make_entity("SABG", "Secretaría Anticorrupción y Buen Gobierno")
    receiver = make_investigator(other)
    casework.do_set_body_settings(other, None, 90)
    public, private = crypto.new_recovery_key_pair()
    other.report_settings.recovery_public_key = public
    other.report_settings.save()
    casework.do_classify_in_scope(report, investigator)

    casework.do_forward_to_body(report, investigator, key, other, "Le corresponde a la Secretaría.")
    report.refresh_from_db()
    assert report.agency == other and report.status == S.RECEIVED and report.classification == ""
    assert not ReportKeyWrap.objects.filter(report=report, investigator=investigator).exists()
    receiver_key = actions.unlock_investigator_key(receiver, PASSWORD)
    assert actions.unwrap_for_investigator(report, receiver, receiver_key) == key
    recovery = ReportKeyWrap.objects.get(report=report, holder=KeyHolder.RECOVERY)
    assert crypto.unwrap_with_private_key(crypto.private_key_from_bytes(private), recovery.wrapped_key) == key
    event = report.events.get(kind=EventKind.FORWARDED)
    assert (event.from_agency, event.to_agency, event.from_status, event.to_status) == (
        body["agency"],
        other,
        S.IN_PROCESS,
        S.RECEIVED,
    )
    assert not casework.inbox(investigator).filter(pk=report.pk).exists()
    assert casework.inbox(receiver).filter(pk=report.pk).exists()
    resolution = actions.open_resolution(report, key)
    assert resolution["kind"] == "forwarded" and resolution["authority"] == other.name


def test_forwarding_is_refused_to_the_same_body_and_to_a_body_nobody_could_read(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    with pytest.raises(actions.ReportRefused, match="ya está en ese órgano"):
        casework.do_forward_to_body(report, investigator, key, body["agency"])
    empty = make_entity("SEP")
    make_investigator(empty, with_key=False)
    with pytest.raises(actions.ReportRefused, match="no tiene personas investigadoras con llave"):
        casework.do_forward_to_body(report, investigator, key, empty)
    assert list(casework.forward_targets(report)) == []
    report.refresh_from_db()
    assert report.agency == body["agency"]
    assert ReportKeyWrap.objects.filter(report=report, investigator=investigator).exists()


def test_forwarding_outside_the_portal_seals_the_authority_and_closes(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    with pytest.raises(actions.ReportRefused, match="Escriba la autoridad competente"):
        casework.do_forward_outside(report, investigator, key, "", "Mensaje")
    casework.do_forward_outside(
        report, investigator, key, "Fiscalía Anticorrupción de Colima", "Acuda a la Fiscalía con su folio."
    )
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.classification == Classification.FORWARDED
    assert b"Fiscal" not in all_sealed_bytes()
    resolution = actions.open_resolution(report, key)
    assert resolution["kind"] == "forwarded_outside" and resolution["authority"] == "Fiscalía Anticorrupción de Colima"


def test_opening_is_recorded_once_per_person_and_day(body, time_machine):
    report, investigator = body["report"], body["investigator"]
    time_machine.move_to("2026-03-10 10:00:00-06:00")
    assert casework.record_opened(report, investigator)
    assert not casework.record_opened(report, investigator)
    time_machine.move_to("2026-03-11 10:00:00-06:00")
    assert casework.record_opened(report, investigator)
    assert report.events.filter(kind=EventKind.OPENED).count() == 2


def test_a_colleague_who_made_a_key_later_is_granted_the_old_reports(body):
    agency, report = body["agency"], body["report"]
    newcomer = make_investigator(agency)
    newcomer_key = actions.unlock_investigator_key(newcomer, PASSWORD)
    assert actions.unwrap_for_investigator(report, newcomer, newcomer_key) is None
    assert casework.inbox(newcomer).get(pk=report.pk).readable is False

    granted = casework.do_grant_access(body["investigator"], body["private_key"], newcomer, agency)
    assert granted == 1
    assert actions.unwrap_for_investigator(report, newcomer, newcomer_key) == body["report_key"]
    event = report.events.get(kind=EventKind.ACCESS_GRANTED)
    assert event.actor == body["investigator"] and event.item == str(newcomer.pk)
    with pytest.raises(actions.ReportRefused, match="ya puede leer todas"):
        casework.do_grant_access(body["investigator"], body["private_key"], newcomer, agency)


def test_access_is_granted_only_to_a_colleague_of_the_body_with_a_key(body):
    agency = body["agency"]
    without_key = make_investigator(agency, with_key=False)
    with pytest.raises(actions.ReportRefused, match="todavía no crea su llave"):
        casework.do_grant_access(body["investigator"], body["private_key"], without_key, agency)
    stranger = make_investigator(make_entity("SEP"))
    with pytest.raises(actions.ReportRefused, match="no es persona investigadora de este órgano"):
        casework.do_grant_access(body["investigator"], body["private_key"], stranger, agency)
    with pytest.raises(actions.ReportRefused, match="usted ya tiene su acceso"):
        casework.do_grant_access(body["investigator"], body["private_key"], body["investigator"], agency)


def test_a_new_key_drops_the_old_wraps_and_records_it(body):
    investigator, report = body["investigator"], body["report"]
    new_key = casework.do_replace_investigator_key(investigator, "otra-clave-9")
    assert not ReportKeyWrap.objects.filter(investigator=investigator).exists()
    assert actions.unwrap_for_investigator(report, investigator, new_key) is None
    assert report.events.filter(kind=EventKind.ACCESS_REVOKED, item=str(investigator.pk)).count() == 1
    assert bytes(actions.unlock_investigator_key(investigator, "otra-clave-9")) == bytes(new_key)


def test_the_recovery_key_gives_a_new_investigator_the_reports_filed_after_it_existed():
    agency = make_entity("SALUD")
    first = make_investigator(agency)
    private = casework.do_create_recovery_key(agency)
    with pytest.raises(actions.ReportRefused, match="ya tiene llave de recuperación"):
        casework.do_create_recovery_key(agency)
    filed = file_report(agency)
    do_revoke_role(first, agency, Role.INVESTIGATOR)
    successor = make_investigator(agency)

    with pytest.raises(actions.ReportRefused, match="no es la de"):
        casework.do_recover_access(agency, crypto.new_recovery_key_pair()[1], successor)
    assert casework.do_recover_access(agency, private, successor) == 1
    successor_key = actions.unlock_investigator_key(successor, PASSWORD)
    opened = actions.unwrap_for_investigator(filed.report, successor, successor_key)
    assert opened is not None and "2,000 pesos" in actions.open_content(filed.report, opened)["what"]
    assert casework.do_recover_access(agency, private, successor) == 0


def test_body_settings_are_validated_with_specific_messages():
    agency = make_entity("SALUD")
    other = make_entity("SABG")
    with pytest.raises(actions.ReportRefused) as refused:
        casework.do_set_body_settings(agency, agency, 0)
    assert "no puede ser el mismo" in refused.value.message_dict["alternative"][0]
    assert "entre 1 y 1825" in refused.value.message_dict["retention_days"][0]
    row = casework.do_set_body_settings(agency, other, 120)
    assert (row.alternative, row.retention_days) == (other, 120)
    assert casework.retention_days_of(agency) == 120


def test_inbox_counts_say_how_many_reports_are_in_each_state(body):
    agency, investigator = body["agency"], body["investigator"]
    second = file_report(agency).report
    file_report(agency)
    casework.do_classify_in_scope(second, investigator)
    assert casework.inbox_counts(investigator) == {"received": 2, "in_process": 1, "closed": 0}
    assert [r.pk for r in casework.inbox(investigator, casework.InboxFilter.IN_PROCESS)] == [second.pk]
    assert casework.inbox(investigator, casework.InboxFilter.CLOSED).count() == 0


def test_the_chain_of_custody_names_people_and_files_but_holds_no_content(body):
    report, key, investigator = body["report"], body["report_key"], body["investigator"]
    casework.do_ask_reporter(report, investigator, key, "Pregunta secreta")
    lines = casework.custody(report)
    assert [line.event.kind for line in lines] == [EventKind.RECEIVED, EventKind.ASKED]
    assert lines[1].actor_name == "Elena"
    stored = list(ReportEvent.objects.values_list("kind", "item", "from_status", "to_status"))
    assert "Pregunta secreta" not in repr(stored)


def test_an_investigators_data_download_has_no_content_and_closing_their_account_drops_key_and_wraps(body):
    casework.do_ask_reporter(body["report"], body["investigator"], body["report_key"], "Texto sellado")
    exported = personal_data.export_for_account(body["investigator"])
    assert exported["denuncias_que_puede_leer"] == 1 and exported["preguntas_escritas"] == 1
    assert "Texto sellado" not in repr(exported)
    personal_data.erase_for_account(body["investigator"])
    assert not ReportKeyWrap.objects.filter(investigator=body["investigator"]).exists()
    assert not casework.has_investigator_key(body["investigator"])
