"""The accounts app's rules that have no page of their own: who holds a number, assurance levels, retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from portal.accounts import actions, queries
from portal.accounts.models import ActiveSession, AssuranceLevel, Profile, SignInEvent
from portal.accounts.tests.factories import add_totp, make_account

pytestmark = pytest.mark.django_db


def test_confirming_a_number_takes_it_off_every_account_that_only_claimed_it():
    claimant = make_account(email="a@example.mx", phone="+525512121212", verified=False)
    owner = make_account(email="b@example.mx")
    actions.do_mark_phone_verified(owner, "+525512121212")
    assert queries.phone_of(owner) == ("+525512121212", True)
    assert queries.phone_of(claimant) is None
    assert queries.user_by_phone("+525512121212") == owner


def test_a_number_verified_on_one_account_cannot_be_verified_on_another():
    make_account(phone="+525512121212")
    other = make_account(email="b@example.mx")
    with pytest.raises(ValidationError) as raised:
        actions.do_mark_phone_verified(other, "+525512121212")
    assert raised.value.code == "phone_taken"
    assert queries.phone_of(other) is None


def test_only_e164_mexican_numbers_are_stored():
    user = make_account(email="a@example.mx")
    with pytest.raises(ValueError):
        actions.do_set_phone(user, "5512345678", verified=False)


def test_assurance_goes_from_none_to_basic_to_verified():
    user = make_account(email="a@example.mx", verified=False)
    assert queries.assurance_level(user) == AssuranceLevel.NONE
    make_account(email="c@example.mx")
    user.emailaddress_set.update(verified=True)
    assert queries.assurance_level(user) == AssuranceLevel.BASIC
    Profile.objects.filter(user=user).update(curp="HEGG560427MVZRRL04", curp_confirmed_at=timezone.now())
    assert queries.assurance_level(user) == AssuranceLevel.BASIC, "a confirmed CURP alone is not enough"
    add_totp(user)
    assert queries.assurance_level(user) == AssuranceLevel.VERIFIED
    assert Profile.objects.get(user=user).assurance_level == AssuranceLevel.VERIFIED


def test_a_verified_number_alone_gives_the_basic_level():
    assert queries.assurance_level(make_account(phone="+525512121212")) == AssuranceLevel.BASIC


def test_purging_deletes_old_events_and_stale_sessions_and_keeps_the_rest():
    user = make_account(email="a@example.mx")
    now = timezone.now()
    old = SignInEvent.objects.create(user=user, kind="success", occurred_at=now - dt.timedelta(days=181))
    recent = SignInEvent.objects.create(user=user, kind="success", occurred_at=now - dt.timedelta(days=179))
    stale = ActiveSession.objects.create(user=user, token_digest="a" * 64, last_seen_at=now - dt.timedelta(days=15))
    live = ActiveSession.objects.create(user=user, token_digest="b" * 64, last_seen_at=now - dt.timedelta(days=1))
    counts = actions.do_purge_expired_records(now)
    assert counts == {"events": 1, "sessions": 1, "abandoned_signups": 0}
    assert not SignInEvent.objects.filter(pk=old.pk).exists()
    assert SignInEvent.objects.filter(pk=recent.pk).exists()
    assert not ActiveSession.objects.filter(pk=stale.pk).exists()
    assert ActiveSession.objects.filter(pk=live.pk).exists()


def test_sign_ups_never_completed_are_deleted_after_a_week_and_nothing_else_is():
    now = timezone.now()
    week_ago = now - dt.timedelta(days=8)
    abandoned = make_account(phone="+525512121212", verified=False, date_joined=week_ago)
    recent = make_account(email="nuevo@example.mx", verified=False)
    verified = make_account(email="ok@example.mx", date_joined=week_ago)
    used = make_account(email="usada@example.mx", verified=False, date_joined=week_ago, last_login=week_ago)
    staff = get_user_model().objects.create_user("admin", "admin@example.mx", "x", is_staff=True)
    call_command("purge_account_records", stdout=open("/dev/null", "w"))  # noqa: SIM115
    remaining = set(get_user_model().objects.values_list("pk", flat=True))
    assert abandoned.pk not in remaining
    assert {recent.pk, verified.pk, used.pk, staff.pk} <= remaining
