"""Writes and checks of the registry: registering a person, changing their status, issuing their certificate."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from portal.documents import actions as document_actions
from portal.documents.models import DocumentKind, IssuedDocument

from . import certificate
from .curp import CurpProblem, PersonalData, curp_problems, curp_stem, unique_curp
from .models import Person, PersonStatus

_ATTEMPTS = 3


def check_curp(value: str) -> list[CurpProblem]:
    """What is wrong with a typed CURP, part by part, in Spanish; empty when it is well formed."""
    return curp_problems(value)


def _next_curp(data: PersonalData) -> str:
    taken = set(Person.objects.filter(curp__startswith=curp_stem(data)).values_list("curp", flat=True))
    return unique_curp(data, taken.__contains__)


def do_register_person(
    *,
    given_names: str,
    first_surname: str,
    second_surname: str,
    birth_date: datetime.date,
    sex: str,
    birth_state: str,
    **fields,
) -> Person:
    """Register a person under the CURP their data build, with the first differentiator no homonym holds.

    Two registrations of homonyms racing for the same differentiator: the unique CURP makes one fail, and it
    retries with the next free one.
    """
    data = PersonalData(given_names, first_surname, second_surname, birth_date, sex, birth_state)
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                person = Person(
                    curp=_next_curp(data),
                    given_names=given_names,
                    first_surname=first_surname,
                    second_surname=second_surname,
                    birth_date=birth_date,
                    sex=sex,
                    birth_state=birth_state,
                    **fields,
                )
                person.full_clean()
                person.save()
                return person
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def do_change_status(person: Person, status: str) -> Person:
    """Record a cancellation or a death (or a reinstatement); certificates issued before a change stop being current."""
    if status not in PersonStatus.values:
        raise ValueError(f"unknown status {status!r}")
    if person.status == status:
        return person
    with transaction.atomic():
        person.status = status
        person.save(update_fields=["status"])
        document_actions.do_revoke_documents_for_subject(DocumentKind.CURP_CERTIFICATE, person.curp)
    return person


def do_issue_curp_certificate(person: Person) -> tuple[IssuedDocument, bytes]:
    """Issue the person's CURP certificate: a PDF with a verification code and its QR."""
    return document_actions.do_issue_document(
        DocumentKind.CURP_CERTIFICATE,
        person.curp,
        lambda document: certificate.render_certificate_pdf(person, document),
        subject_name=person.full_name,
        issuer=certificate.ISSUER,
    )
