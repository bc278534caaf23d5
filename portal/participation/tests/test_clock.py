"""The legal clock: due dates in working days (weekends, art. 74 rest days and declared days skipped), days left and
overdue as both sides see them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import business_days
from portal.core.business_days import BusinessCalendar
from portal.core.models import NonWorkingDay
from portal.participation import actions, queries
from portal.participation.models import PetitionStatus

from .factories import local_noon, make_citizen, make_entity, make_petition

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_due_date_skips_weekends_and_starts_the_day_after_receipt():
    # Friday 4 December 2026 + 1 working day = Monday 7 December.
    assert queries.due_date_for(D(2026, 12, 4), 1) == D(2026, 12, 7)
    # + 5 working days from a Friday: Mon 7 ... Fri 11.
    assert queries.due_date_for(D(2026, 12, 4), 5) == D(2026, 12, 11)


def test_the_due_date_skips_rest_days_and_declared_days():
    # Monday 16 November 2026 is the Revolution's rest day (third Monday of November).
    assert queries.due_date_for(D(2026, 11, 13), 1) == D(2026, 11, 17)
    NonWorkingDay.objects.create(date=D(2026, 11, 17), description="Día inhábil", source="DOF")
    business_days.forget_calendar()
    assert queries.due_date_for(D(2026, 11, 13), 1) == D(2026, 11, 18)


def test_a_petition_gets_the_entitys_term_and_the_default_otherwise():
    imss = make_entity("IMSS")
    sep = make_entity("SEP")
    actions.do_set_term(sep, 10)
    author = make_citizen()
    submitted = local_noon(D(2026, 12, 4))
    default = make_petition(author, imss, when=submitted)
    short = make_petition(author, sep, when=submitted)
    assert default.term_days == 45
    assert default.due_date == queries.due_date_for(D(2026, 12, 4), 45)
    assert short.term_days == 10
    assert short.received_on == D(2026, 12, 4)
    assert short.due_date == D(2026, 12, 18)


def test_the_clock_counts_days_left_then_overdue_then_answered_late():
    sep = make_entity("SEP")
    actions.do_set_term(sep, 2)
    petition = make_petition(make_citizen(), sep, when=local_noon(D(2026, 12, 4)))  # due Tuesday 8
    assert petition.due_date == D(2026, 12, 8)
    assert queries.clock(petition, D(2026, 12, 4)).days_left == 2
    assert queries.clock(petition, D(2026, 12, 8)).days_left == 0
    late = queries.clock(petition, D(2026, 12, 10))
    assert late.overdue and late.days_overdue == 2
    petition.status = PetitionStatus.ANSWERED
    petition.answered_on = D(2026, 12, 9)
    answered = queries.clock(petition, D(2026, 12, 20))
    assert answered.answered_late and not answered.overdue and answered.days_overdue == 1


def test_a_weekend_past_the_due_date_is_already_overdue():
    sep = make_entity("SEP")
    actions.do_set_term(sep, 5)
    petition = make_petition(make_citizen(), sep, when=local_noon(D(2026, 12, 4)))  # due Friday 11
    assert queries.clock(petition, D(2026, 12, 12)).overdue


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)), days=st.integers(1, 120))
def test_the_due_date_is_a_working_day_exactly_the_term_away(start, days):
    calendar = BusinessCalendar()
    due = calendar.add_business_days(start, days)
    assert due > start
    assert calendar.is_business_day(due)
    assert calendar.business_days_between(start, due) == days
