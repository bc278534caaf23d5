"""Values a form can start with, so a person does not type again what the portal already knows.

Keys are the ``prefill`` names of docs/applications.md. The account gives e-mail, phone and the names it was opened
with; a linked and confirmed CURP gives the registry's record (names exactly as registered, birth date, sex), which
then wins over the account's names. Prefilled values are only suggestions: every page can still be edited.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress

from portal.accounts.queries import phone_of, profile_of
from portal.registry.queries import find_by_curp


def _title(text: str) -> str:
    """Registry names are upper-case; forms show them as people write them («GLORIA» → «Gloria»)."""
    return " ".join(word.capitalize() for word in (text or "").split())


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
