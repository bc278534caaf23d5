"""Values a form can start with, so a person does not type again what the portal already knows.

Keys are the ``prefill`` names of docs/applications.md. The account gives e-mail, phone and the names it was opened
with; a linked and confirmed CURP gives the registry's record (names exactly as registered, birth date, sex), which
then wins over the account's names. Prefilled values are only suggestions: every page can still be edited, except
the applicant's own CURP (docs/applications.md, «La CURP de la persona solicitante»).

The applicant's own CURP question is the ``curp`` question with ``"prefill": "curp"``. When the account has a
confirmed CURP, that question's answer is always the account's (``bind_applicant_curp``). When it has none, what the
person types is kept as typed and never looked up in the registry for them: anyone can type anyone's CURP. Other
``curp`` questions (a beneficiary, a deceased titular) are third parties' keys and are never resolved to names either.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from portal.accounts.queries import phone_of, profile_of
from portal.registry.queries import find_by_curp


def _title(text: str) -> str:
    """Registry names are upper-case; forms show them as people write them («GLORIA» → «Gloria»)."""
    return " ".join(word.capitalize() for word in (text or "").split())


APPLICANT_CURP = "curp"


def confirmed_curp(user) -> str:
    """The account's CURP when it is linked and confirmed (online against the registry, or at an office); else ""."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    profile = profile_of(user)
    if profile is not None and profile.curp and profile.curp_confirmed_at is not None:
        return profile.curp
    return ""


def is_applicant_curp_question(question: dict[str, Any]) -> bool:
    return question.get("type") == "curp" and question.get("prefill") == APPLICANT_CURP


def applicant_curp_questions(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's questions that ask for the applicant's own CURP (type ``curp`` prefilled from the account)."""
    return [
        question
        for page in schema.get("pages", [])
        for question in page.get("questions", [])
        if is_applicant_curp_question(question)
    ]


def applicant_curp_error(user, question: dict[str, Any], value: Any) -> str | None:
    """For a page form: the message when the applicant's own CURP question holds a CURP other than the account's
    confirmed one; None when the value is acceptable (another question, no confirmed CURP, or the same CURP)."""
    curp = confirmed_curp(user)
    if not curp or not is_applicant_curp_question(question) or not isinstance(value, str) or not value:
        return None
    if value.strip().upper() == curp:
        return None
    return _(
        "Su cuenta tiene vinculada y confirmada la CURP %(curp)s: la CURP de la persona solicitante debe ser esa. "
        "Si hace el trámite para otra persona, escriba su CURP en la pregunta que la pide."
    ) % {"curp": curp}


def bind_applicant_curp(user, schema: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` with every answered applicant-CURP question set to the account's confirmed CURP, if it has one.

    The account's confirmed CURP is the applicant's: a different key typed there would make the case (and its acuse)
    speak of another person. Unanswered questions (hidden by the form's logic) stay unanswered.
    """
    curp = confirmed_curp(user)
    if not curp:
        return answers
    bound = dict(answers)
    for question in applicant_curp_questions(schema):
        if bound.get(question["id"]) not in (None, ""):
            bound[question["id"]] = curp
    return bound


def prefill_values(user) -> dict[str, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    values: dict[str, str] = {}
    email = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    if email is not None:
        values["email"] = email.email
    elif user.email:
        values["email"] = user.email
    phone = phone_of(user)
    if phone is not None:
        values["phone"] = phone[0]
    if user.first_name:
        values["given_names"] = user.first_name
    if user.last_name:
        surnames = user.last_name.split(maxsplit=1)
        values["first_surname"] = surnames[0]
        if len(surnames) > 1:
            values["second_surname"] = surnames[1]
    profile = profile_of(user)
    if profile is not None and profile.curp and profile.curp_confirmed_at is not None:
        values["curp"] = profile.curp
        person = find_by_curp(profile.curp)
        if person is not None:
            values["given_names"] = _title(person.given_names)
            values["first_surname"] = _title(person.first_surname)
            values["second_surname"] = _title(person.second_surname)
            values["birth_date"] = person.birth_date.isoformat()
            values["sex"] = person.sex
    names = [values.get("given_names", ""), values.get("first_surname", ""), values.get("second_surname", "")]
    full_name = " ".join(name for name in names if name)
    if full_name:
        values["full_name"] = full_name
    return {key: value for key, value in values.items() if value}
