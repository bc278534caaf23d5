import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from portal.core import business_days
from portal.core.business_days import BusinessCalendar, easter_sunday, mandatory_rest_days
from portal.core.models import NonWorkingDay

D = datetime.date
# The usual DOF days of 2026 (as the data migration seeds them), without the database.
CALENDAR_2026 = BusinessCalendar(
    declared={
        D(2026, 4, 2): ("Jueves Santo", "DOF"),
        D(2026, 4, 3): ("Viernes Santo", "DOF"),
        D(2026, 11, 2): ("Día de Muertos", "DOF"),
        D(2026, 12, 12): ("Día de la Virgen de Guadalupe", "DOF"),
    }
)
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
terms = st.integers(min_value=0, max_value=120)
declared_days = st.dictionaries(days, st.just(("Inhábil", "DOF")), max_size=30)
calendars = st.builds(BusinessCalendar, declared=declared_days)


# --- Fixed dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 1, 1), "1 de enero"),
        (D(2026, 2, 2), "primer lunes de febrero"),
        (D(2026, 3, 16), "tercer lunes de marzo"),
        (D(2026, 5, 1), "1 de mayo"),
        (D(2026, 9, 16), "16 de septiembre"),
        (D(2026, 11, 16), "tercer lunes de noviembre"),
        (D(2026, 12, 25), "25 de diciembre"),
        (D(2024, 10, 1), "transmisión del Poder Ejecutivo Federal"),
        (D(2030, 10, 1), "transmisión del Poder Ejecutivo Federal"),
        (D(2018, 12, 1), "transmisión antes de la reforma (cae en sábado, pero cuenta)"),
        (D(2027, 2, 1), "primer lunes de febrero de 2027"),
        (D(2027, 3, 15), "tercer lunes de marzo de 2027"),
        (D(2027, 11, 15), "tercer lunes de noviembre de 2027"),
    ],
)
def test_mandatory_rest_days_of_the_federal_labour_law_are_not_business_days(day, reason):
    assert day in {item.day for item in mandatory_rest_days(day.year)}, reason
    assert not BusinessCalendar().is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 10, 1),  # not a year of change of the federal executive
        D(2026, 2, 5),  # the day itself, now moved to the first Monday
        D(2026, 3, 21),  # a Saturday, but the rest day is the Monday before
        D(2026, 11, 20),  # the rest day is the third Monday
        D(2026, 11, 17),
    ],
)
def test_dates_that_are_only_commemorative_are_business_days_on_a_weekday(day):
    assert BusinessCalendar().is_business_day(day) == (day.weekday() < 5)


def test_holy_week_2026_is_non_working_once_declared():
    assert BusinessCalendar().is_business_day(D(2026, 4, 2))
    assert not CALENDAR_2026.is_business_day(D(2026, 4, 2))
    assert not CALENDAR_2026.is_business_day(D(2026, 4, 3))
    assert CALENDAR_2026.is_business_day(D(2026, 4, 1))


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))]
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_weekends_are_not_business_days():
    assert not BusinessCalendar().is_business_day(D(2026, 11, 21))  # Saturday
    assert not BusinessCalendar().is_business_day(D(2026, 11, 22))  # Sunday
    assert BusinessCalendar().is_business_day(D(2026, 11, 23))


def test_term_starts_counting_the_business_day_after():
    # Friday 13 November 2026 → Monday 16 is the Revolution rest day → Tuesday 17 is day 1.
    assert CALENDAR_2026.add_business_days(D(2026, 11, 13), 1) == D(2026, 11, 17)
    assert CALENDAR_2026.add_business_days(D(2026, 11, 13), 5) == D(2026, 11, 23)


def test_ten_business_days_across_holy_week():
    # Monday 30 March 2026: 31, 1, (2, 3 declared), 6, 7, 8, 9, 10, 13, 14, 15.
    assert CALENDAR_2026.add_business_days(D(2026, 3, 30), 10) == D(2026, 4, 15)
    assert BusinessCalendar().add_business_days(D(2026, 3, 30), 10) == D(2026, 4, 13)


def test_zero_days_is_the_same_day_if_it_is_a_business_day_else_the_next():
    assert CALENDAR_2026.add_business_days(D(2026, 11, 18), 0) == D(2026, 11, 18)
    assert CALENDAR_2026.add_business_days(D(2026, 11, 14), 0) == D(2026, 11, 17)


def test_negative_term_is_a_programming_error():
    with pytest.raises(ValueError):
        CALENDAR_2026.add_business_days(D(2026, 11, 18), -1)


def test_year_end_term():
    # Thursday 24 December 2026: 25 is Christmas; 28, 29, 30, 31, then 1 January 2027 is New Year.
    assert CALENDAR_2026.add_business_days(D(2026, 12, 24), 5) == D(2027, 1, 4)


def test_non_working_days_of_a_year_are_sorted_with_their_reason():
    listed = CALENDAR_2026.non_working_days(2026)
    assert [day for day, _reason in listed] == sorted(day for day, _reason in listed)
    assert (D(2026, 11, 16), "Día de la Revolución (20 de noviembre)") in listed
    assert (D(2026, 4, 2), "Jueves Santo") in listed
    assert all(day.year == 2026 for day, _reason in listed)
    assert len(listed) == 7 + 4


# --- Prevención: the clock stops ------------------------------------------------------------------------------------


def test_prevention_pushes_the_deadline_by_the_business_days_stopped():
    deadline = D(2026, 12, 10)
    # Notified Monday 23 November; answered Friday 27; the clock runs again on Monday 30: 5 business days stopped.
    resumed = CALENDAR_2026.resumption_day(D(2026, 11, 27))
    assert resumed == D(2026, 11, 30)
    assert CALENDAR_2026.extend_deadline(deadline, D(2026, 11, 23), resumed) == D(2026, 12, 17)


def test_prevention_answered_over_a_weekend_stops_only_business_days():
    # Notified Friday 20 November; answered Sunday 22; Monday 23 counts again: only Friday was stopped.
    resumed = CALENDAR_2026.resumption_day(D(2026, 11, 22))
    assert resumed == D(2026, 11, 23)
    assert CALENDAR_2026.extend_deadline(D(2026, 12, 10), D(2026, 11, 20), resumed) == D(2026, 12, 11)


def test_clock_cannot_resume_before_it_stopped():
    with pytest.raises(ValueError):
        CALENDAR_2026.extend_deadline(D(2026, 12, 10), D(2026, 11, 20), D(2026, 11, 19))


@given(
    calendars,
    days,
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=40),
)
def test_stopping_the_clock_keeps_the_days_left(calendar, submitted, term, elapsed, answered_after):
    """Counting by hand around the stop gives the same deadline as extend_deadline."""
    deadline = calendar.add_business_days(submitted, term)
    notified = calendar.add_business_days(submitted, min(elapsed, term))  # a business day within the term
    answered = notified + datetime.timedelta(days=answered_after)
    resumed = calendar.resumption_day(answered)
    used_before = calendar.business_days_between(submitted, notified) - 1  # the day of notice is stopped
    left = term - used_before
    by_hand = calendar.add_business_days(resumed - datetime.timedelta(days=1), left)
    assert calendar.extend_deadline(deadline, notified, resumed) == by_hand


# --- Properties -----------------------------------------------------------------------------------------------------


@given(calendars, days, terms)
def test_the_end_of_a_term_is_always_a_business_day(calendar, start, term):
    end = calendar.add_business_days(start, term)
    assert calendar.is_business_day(end)
    assert end >= start
    assert end.weekday() < 5
    assert end not in calendar.declared


@given(calendars, days, terms, terms)
def test_a_longer_term_never_ends_earlier(calendar, start, first, second):
    shorter, longer = sorted((first, second))
    assert calendar.add_business_days(start, shorter) <= calendar.add_business_days(start, longer)
    if shorter < longer:
        assert calendar.add_business_days(start, shorter) < calendar.add_business_days(start, longer)


@given(calendars, days, days, terms)
def test_a_later_start_never_ends_earlier(calendar, first, second, term):
    earlier, later = sorted((first, second))
    assert calendar.add_business_days(earlier, term) <= calendar.add_business_days(later, term)


@given(calendars, days, st.integers(min_value=1, max_value=120))
def test_adding_then_counting_round_trips(calendar, start, term):
    assert calendar.business_days_between(start, calendar.add_business_days(start, term)) == term


@given(calendars, days, days)
def test_counting_is_antisymmetric_and_matches_a_day_by_day_count(calendar, first, second):
    start, end = sorted((first, second))
    span = (end - start).days
    expected = sum(1 for n in range(1, span + 1) if calendar.is_business_day(start + datetime.timedelta(days=n)))
    assert calendar.business_days_between(start, end) == expected
    assert calendar.business_days_between(end, start) == -expected


@given(calendars, days)
def test_next_business_day_is_the_first_one_after(calendar, day):
    following = calendar.next_business_day(day)
    assert following > day
    assert calendar.is_business_day(following)
    assert calendar.business_days_between(day, following) == 1


# --- The calendar of the database -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeded_holy_week_and_usual_dof_days_are_non_working():
    for day in (D(2026, 4, 2), D(2026, 4, 3), D(2026, 11, 2), D(2027, 3, 25), D(2027, 3, 26), D(2027, 11, 2)):
        assert not business_days.is_business_day(day), day
    assert NonWorkingDay.objects.filter(date=D(2026, 12, 12)).exists()
    assert business_days.add_business_days(D(2026, 3, 30), 10) == D(2026, 4, 15)


@pytest.mark.django_db
def test_a_declared_day_counts_once_saved_and_stops_counting_when_deleted(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    day = D(2026, 12, 28)
    assert business_days.is_business_day(day)
    with django_assert_num_queries(0):
        business_days.is_business_day(day)  # the calendar is cached: no query
    with django_capture_on_commit_callbacks(execute=True):
        declared = NonWorkingDay.objects.create(date=day, description="Periodo vacacional", source="DOF 2026-12-01")
    assert not business_days.is_business_day(day)
    assert (day, "Periodo vacacional") in business_days.non_working_days(2026)
    with django_capture_on_commit_callbacks(execute=True):
        declared.delete()
    assert business_days.is_business_day(day)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_does_not_leave_the_cache_stale():
    day = D(2026, 12, 29)
    assert business_days.is_business_day(day)
    with pytest.raises(RuntimeError), transaction.atomic():
        NonWorkingDay.objects.create(date=day, description="Periodo vacacional", source="DOF")
        raise RuntimeError
    assert business_days.is_business_day(day)
    with transaction.atomic():
        NonWorkingDay.objects.create(date=day, description="Periodo vacacional", source="DOF")
    assert not business_days.is_business_day(day)


@pytest.mark.django_db
def test_declaring_a_mandatory_rest_day_again_is_refused():
    day = NonWorkingDay(date=D(2026, 11, 16), description="Revolución", source="DOF")
    with pytest.raises(ValidationError) as raised:
        day.full_clean()
    assert "Ley Federal del Trabajo" in raised.value.message_dict["date"][0]
