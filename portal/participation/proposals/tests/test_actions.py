"""Proposals' rules: moderation, supports (once, withdrawn, closed after the deadline), the threshold reached exactly
once, expiry read from the date, answering only when due, progress that does not go back without a reason,
completion at 100 %, the notices queued and the history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.core import business_days
from portal.notifications.models import Notification
from portal.participation.proposals import actions, queries
from portal.participation.proposals.models import (
    ProposalActorRole,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    ProposalSupport,
)

from .factories import (
    local_noon,
    make_accepted,
    make_at_threshold,
    make_citizen,
    make_entity,
    make_moderator,
    make_participation_staff,
    make_proposal,
    make_published,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db
S = ProposalStatus
K = ProposalEventKind


def test_a_proposal_waits_for_the_moderators_and_takes_the_entitys_settings_when_published():
    semovi = make_entity("SEMOVI")
    author = make_citizen("leonor@example.com")
    proposal = make_proposal(author, semovi)
    assert proposal.status == S.PENDING and proposal.deadline is None
    actions.do_set_proposal_settings(semovi, support_threshold=500, support_days=30)
    published = actions.do_publish_proposal(proposal, make_moderator(), now=local_noon(dt.date(2027, 2, 3)))
    assert (published.status, published.support_threshold, published.deadline) == (S.OPEN, 500, dt.date(2027, 3, 5))
    # Later changes of the settings do not move a published proposal's goal.
    actions.do_set_proposal_settings(semovi, support_threshold=10, support_days=5)
    published.refresh_from_db()
    assert published.support_threshold == 500
    kinds = list(ProposalEvent.objects.filter(proposal=proposal).values_list("kind", "from_status", "to_status"))
    assert kinds == [(K.SUBMITTED, "", S.PENDING), (K.PUBLISHED, S.PENDING, S.OPEN)]
    notice = Notification.objects.get(event="proposal.published", channel="email")
    assert (
        notice.recipient == "leonor@example.com" and "500 apoyos" in notice.body and "5 de marzo de 2027" in notice.body
    )


def test_without_settings_an_entity_asks_1000_supports_within_90_days():
    assert queries.settings_for(make_entity("SEMOVI")) == queries.Rules(1_000, 90)


def test_a_refused_proposal_records_the_rule_and_tells_the_author():
    proposal = make_proposal(make_citizen("leonor@example.com"), make_entity("SEMOVI"))
    actions.do_refuse_proposal(proposal, make_moderator(), "offensive")
    proposal.refresh_from_db()
    assert proposal.status == S.REFUSED and proposal.refusal_reason == "offensive"
    event = proposal.events.get(kind=K.REFUSED)
    assert event.actor_role == ProposalActorRole.MODERATOR and "insultos" in event.reason
    assert "insultos" in Notification.objects.get(event="proposal.refused", channel="email").body
    with pytest.raises(actions.ProposalRefused, match="Otra persona ya revisó"):
        actions.do_publish_proposal(proposal, make_moderator())


def test_a_refusal_needs_a_rule_of_the_list():
    proposal = make_proposal(make_citizen(), make_entity("SEMOVI"))
    with pytest.raises(ValidationError, match="Elija un motivo"):
        actions.do_refuse_proposal(proposal, make_moderator(), "no me gusta")


@pytest.mark.parametrize(
    ("title", "summary", "text", "message"),
    [
        ("", "Resumen", "Texto", "Escriba el título"),
        ("x" * 151, "Resumen", "Texto", "hasta 150 caracteres; usted escribió 151"),
        ("Título", "x" * 501, "Texto", "hasta 500 caracteres"),
        ("Título", "Resumen", "x" * 6_001, "hasta 6,000 caracteres; usted escribió 6,001"),
        ("Título", "Resumen", "  ", "Escriba su propuesta"),
    ],
)
def test_texts_are_checked_with_spanish_messages(title, summary, text, message):
    with pytest.raises(ValidationError, match=message):
        actions.do_submit_proposal(make_citizen(), make_entity("SEMOVI"), title, summary, text)


def test_a_verified_account_supports_once_and_may_withdraw():
    proposal = make_published(make_entity("SEMOVI"), threshold=5)
    citizen = make_verified_citizen()
    proposal = actions.do_support_proposal(proposal, citizen)
    assert proposal.supports_count == 1
    with pytest.raises(actions.ProposalRefused, match="Usted ya apoya"):
        actions.do_support_proposal(proposal, citizen)
    proposal = actions.do_withdraw_proposal_support(proposal, citizen)
    assert proposal.supports_count == 0 and not ProposalSupport.objects.exists()
    with pytest.raises(actions.ProposalRefused, match="Usted no apoya"):
        actions.do_withdraw_proposal_support(proposal, citizen)


def test_an_account_that_is_not_verified_cannot_support():
    proposal = make_published(make_entity("SEMOVI"))
    with pytest.raises(ValidationError, match="su cuenta debe estar verificada") as error:
        actions.do_support_proposal(proposal, make_citizen())
    assert error.value.code == "not_verified"


def test_a_pending_proposal_takes_no_supports():
    proposal = make_proposal(make_citizen(), make_entity("SEMOVI"))
    with pytest.raises(actions.ProposalRefused, match="no está publicada"):
        actions.do_support_proposal(proposal, make_verified_citizen())


def test_the_threshold_is_reached_exactly_once_and_sets_the_answer_due_date():
    author = make_citizen("leonor@example.com")
    proposal = make_published(make_entity("SEMOVI"), author=author, threshold=2)
    first, second, third = make_verified_citizen(), make_verified_citizen(), make_verified_citizen()
    proposal = actions.do_support_proposal(proposal, first)
    assert proposal.status == S.OPEN and queries.missing_supports(proposal) == 1
    when = local_noon(dt.date(2026, 12, 9))
    proposal = actions.do_support_proposal(proposal, second, now=when)
    assert proposal.status == S.THRESHOLD
    assert proposal.answer_due == business_days.add_business_days(dt.date(2026, 12, 9), 20)
    # Withdrawn and reached again: nothing recorded or told twice; supports still count until the deadline.
    proposal = actions.do_withdraw_proposal_support(proposal, second)
    assert proposal.status == S.THRESHOLD and proposal.supports_count == 1
    actions.do_support_proposal(proposal, second)
    actions.do_support_proposal(proposal, third)
    assert proposal.events.filter(kind=K.THRESHOLD).count() == 1
    assert Notification.objects.filter(event="proposal.threshold").count() == 1
    event = proposal.events.get(kind=K.THRESHOLD)
    assert (event.actor, event.actor_role, event.from_status, event.to_status) == (
        None,
        ProposalActorRole.SYSTEM,
        S.OPEN,
        S.THRESHOLD,
    )


def test_an_open_proposal_past_its_deadline_is_expired_and_refuses_supports():
    published_on = dt.date(2026, 9, 1)
    proposal = make_published(make_entity("SEMOVI"), threshold=5, days=10, when=local_noon(published_on))
    assert proposal.deadline == dt.date(2026, 9, 11)
    assert queries.effective_status(proposal, dt.date(2026, 9, 11)) == S.OPEN
    assert queries.effective_status(proposal, dt.date(2026, 9, 12)) == S.EXPIRED
    assert queries.status_label(proposal, dt.date(2026, 9, 12)) == "Cerró sin alcanzar los apoyos"
    with pytest.raises(actions.ProposalRefused, match="terminó el 11/09/2026") as error:
        actions.do_support_proposal(proposal, make_verified_citizen(), now=local_noon(dt.date(2026, 9, 12)))
    assert error.value.code == "closed"
    assert proposal.id not in queries.public_proposals(status="abiertas", on=dt.date(2026, 9, 12)).values_list(
        "id", flat=True
    )


def test_only_a_proposal_that_reached_its_threshold_can_be_answered():
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    proposal = make_published(semovi, threshold=2)
    with pytest.raises(actions.ProposalRefused, match="alcanzó los apoyos necesarios") as error:
        actions.do_answer_proposal(proposal, staff, accepted=True, text="Sí.")
    assert error.value.code == "not_due"
    proposal = make_at_threshold(semovi)
    answered = actions.do_answer_proposal(proposal, staff, accepted=False, text="No tenemos presupuesto.")
    assert answered.status == S.NOT_ACCEPTED and answered.answer_text == "No tenemos presupuesto."
    with pytest.raises(actions.ProposalRefused):
        actions.do_answer_proposal(answered, staff, accepted=True, text="Ahora sí.")


def test_an_answer_needs_a_reason():
    semovi = make_entity("SEMOVI")
    with pytest.raises(ValidationError, match="Escriba la respuesta"):
        actions.do_answer_proposal(make_at_threshold(semovi), make_participation_staff(semovi), accepted=False, text="")


def test_the_answer_is_told_to_the_author_and_every_supporter_once():
    semovi = make_entity("SEMOVI")
    author = make_citizen("leonor@example.com")
    proposal = make_published(semovi, author=author, threshold=2)
    supporters = [make_citizen(f"apoyo{n}@example.com") for n in range(2)]
    from portal.accounts.models import CurpConfirmationMethod, Profile  # the same as make_verified_citizen

    for user in [*supporters, author]:
        Profile.objects.filter(user=user).update(
            curp=f"GOMA800101MDFRRN{user.pk % 100:02d}",
            curp_confirmed_at=local_noon(dt.date(2026, 1, 1)),
            curp_confirmation_method=CurpConfirmationMethod.IN_PERSON,
        )
        proposal = actions.do_support_proposal(proposal, user)
    actions.do_answer_proposal(proposal, make_participation_staff(semovi), accepted=True, text="La haremos.")
    recipients = sorted(
        Notification.objects.filter(event="proposal.answered", channel="email").values_list("recipient", flat=True)
    )
    assert recipients == ["apoyo0@example.com", "apoyo1@example.com", "leonor@example.com"]
    assert "aceptada" in Notification.objects.filter(event="proposal.answered").first().body


def test_progress_goes_up_or_says_why_it_went_down_and_completion_needs_100():
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    proposal = make_accepted(semovi, staff)
    actions.do_post_progress(proposal, staff, label="Proyecto ejecutivo", progress=30, text="Se contrató el proyecto.")
    proposal.refresh_from_db()
    assert proposal.status == S.IN_PROGRESS and proposal.progress == 30
    with pytest.raises(ValidationError, match="baja de 30 % a 20 %: explique por qué"):
        actions.do_post_progress(proposal, staff, label="Obra", progress=20, text="Se detuvo la obra.")
    actions.do_post_progress(
        proposal, staff, label="Obra", progress=20, text="Se detuvo la obra.", reason="Una suspensión judicial."
    )
    with pytest.raises(ValidationError, match="de 0 a 100"):
        actions.do_post_progress(proposal, staff, label="Obra", progress=101, text="Listo.")
    with pytest.raises(actions.ProposalRefused, match="publique primero un avance del 100 %; va en 20 %"):
        actions.do_complete_proposal(proposal, staff)
    actions.do_post_progress(proposal, staff, label="Terminada", progress=100, text="Se inauguró.")
    completed = actions.do_complete_proposal(proposal, staff)
    assert completed.status == S.COMPLETED
    with pytest.raises(actions.ProposalRefused):
        actions.do_post_progress(completed, staff, label="Más", progress=100, text="Más.")
    kinds = list(completed.events.values_list("kind", flat=True))
    assert kinds[-5:] == [K.ACCEPTED, K.PROGRESS, K.PROGRESS, K.PROGRESS, K.COMPLETED]
    assert completed.events.filter(kind=K.PROGRESS, reason="Una suspensión judicial.").exists()
    assert Notification.objects.filter(event="proposal.completed").exists()


def test_progress_only_on_an_accepted_proposal():
    semovi = make_entity("SEMOVI")
    staff = make_participation_staff(semovi)
    with pytest.raises(actions.ProposalRefused, match="aceptada"):
        actions.do_post_progress(make_at_threshold(semovi), staff, label="Obra", progress=10, text="Algo.")


def test_a_moderator_hides_a_comment_for_a_rule():
    proposal = make_published(make_entity("SEMOVI"))
    comment = actions.do_comment_proposal(proposal, make_citizen(), "Buena idea, la apoyo.")
    with pytest.raises(ValidationError, match="hasta 2,000 caracteres"):
        actions.do_comment_proposal(proposal, make_citizen(), "x" * 2_001)
    actions.do_hide_comment(comment, make_moderator(), "personal_data")
    assert queries.visible_comments(proposal) == []
    assert proposal.events.filter(kind=K.COMMENT_HIDDEN, data__rule="personal_data").exists()


def test_settings_are_checked():
    with pytest.raises(ValidationError, match="de 1 a 365 días"):
        actions.do_set_proposal_settings(make_entity("SEMOVI"), support_threshold=10, support_days=0)
    with pytest.raises(ValidationError, match="mayor que cero"):
        actions.do_set_proposal_settings(make_entity("SEMOV2"), support_threshold=0, support_days=10)


def test_the_data_download_has_the_persons_proposals_comments_and_supports():
    from portal.participation.proposals import personal_data

    author = make_citizen()
    proposal = make_published(make_entity("SEMOVI"), author=author)
    actions.do_comment_proposal(proposal, author, "Mi propio comentario.")
    supporter = make_verified_citizen()
    actions.do_support_proposal(proposal, supporter)
    exported = personal_data.export_proposals(author)
    assert exported[0]["folio"] == proposal.code and len(exported[0]["historial"]) == 2
    assert personal_data.export_comments(author)[0]["comentario"] == "Mi propio comentario."
    assert personal_data.export_supports(supporter)[0]["folio"] == proposal.code
    assert personal_data.export_supports(author) == []


@given(
    previous=st.integers(min_value=0, max_value=100),
    progress=st.integers(min_value=-5, max_value=105),
    reason=st.text(max_size=30),
)
@hypothesis_settings(max_examples=200, deadline=None)
def test_progress_is_accepted_only_in_range_and_going_down_only_with_a_reason(previous, progress, reason):
    try:
        kept = actions.check_progress(previous, progress, reason)
    except ValidationError:
        assert not 0 <= progress <= 100 or (progress < previous and (not reason.strip() or "\x00" in reason))
    else:
        assert 0 <= progress <= 100
        assert progress >= previous or kept.strip()
