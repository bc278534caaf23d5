"""The public figures of each entity and of the country, counted by the database."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.participation import actions, queries

from .factories import local_noon, make_citizen, make_entity, make_petition, make_petitions_staff

D = dt.date
pytestmark = pytest.mark.django_db


def test_figures_count_received_on_time_late_overdue_and_forwarded():
    imss = make_entity("IMSS")
    ssa = make_entity("SSA")
    actions.do_set_term(imss, 2)
    staff = make_petitions_staff(imss)
    author = make_citizen()
    friday = local_noon(D(2026, 12, 4))  # due Tuesday 8 December with a term of 2
    on_time = make_petition(author, imss, when=friday)
    late = make_petition(author, imss, when=friday)
    make_petition(author, imss, when=friday)  # left unanswered: overdue on the 10th
    forwarded = make_petition(author, imss, when=friday)
    make_petition(author, imss, when=local_noon(D(2026, 12, 9)))  # still within its term on the 10th
    actions.do_answer_petition(on_time, staff, "En plazo.", now=local_noon(D(2026, 12, 8)))
    actions.do_answer_petition(late, staff, "Tarde.", now=local_noon(D(2026, 12, 9)))
    actions.do_forward_petition(forwarded, staff, ssa, "Le corresponde a Salud.", now=local_noon(D(2026, 12, 7)))

    figures = queries.agency_figures(imss, D(2026, 12, 10))
    assert (figures.received, figures.answered_on_time, figures.answered_late, figures.overdue) == (4, 1, 1, 1)
    assert (figures.forwarded, figures.open_in_term) == (1, 1)
    received_by_ssa = queries.agency_figures(ssa, D(2026, 12, 10))
    assert (received_by_ssa.received, received_by_ssa.overdue, received_by_ssa.forwarded) == (1, 0, 0)
    national = queries.national_figures(D(2026, 12, 10))
    assert (national.received, national.forwarded) == (5, 1)


def test_the_queue_puts_overdue_first_then_by_due_date():
    imss = make_entity("IMSS")
    actions.do_set_term(imss, 2)
    author = make_citizen()
    old = make_petition(author, imss, subject="Vieja", when=local_noon(D(2026, 11, 2)))
    actions.do_set_term(imss, 20)
    recent = make_petition(author, imss, subject="Reciente", when=local_noon(D(2026, 12, 1)))
    actions.do_set_term(imss, 5)
    sooner = make_petition(author, imss, subject="Pronto", when=local_noon(D(2026, 12, 2)))
    agencies = imss.__class__.objects.filter(pk=imss.pk)
    assert list(queries.queue(agencies, today=D(2026, 12, 3))) == [old, sooner, recent]
    assert list(queries.queue(agencies, "vencidas", today=D(2026, 12, 3))) == [old]
