"""Builders of petitions' test data: an entity with its petition staff, a citizen, a petition in any state."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from portal.accounts.models import CurpConfirmationMethod, Profile
from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.participation import actions

_sequence = itertools.count(1)


def make_entity(acronym: str, name: str = "") -> Any:
    """An entity without its CMS workspace (petitions need none): faster to build."""
    return make_agency(acronym, workspace=False, name=name or f"Institución {acronym}")


def make_citizen(email: str = "", *, phone: str | None = None, first_name: str = "Ana") -> Any:
    n = next(_sequence)
    return make_account(email=email or f"ciudadana{n}@example.com", phone=phone, first_name=first_name)


def make_verified_citizen(first_name: str = "Rosa", email: str = "") -> Any:
    """A citizen whose account is «verificada»: the CURP confirmed in person at an attention centre."""
    user = make_citizen(email, first_name=first_name)
    n = next(_sequence)
    Profile.objects.filter(user=user).update(
        curp=f"GOMA800101MDFRRN{n % 100:02d}",
        curp_confirmed_at=timezone.now(),
        curp_confirmation_method=CurpConfirmationMethod.IN_PERSON,
    )
    return user


def make_public_petition(author: Any, agency: Any, *, subject: str = "Ciclovía en la avenida Juárez") -> Any:
    """A petition its author asked to make public, waiting for the moderators."""
    return actions.do_submit_petition(
        author, agency, subject, "Pido una ciclovía protegida en la avenida Juárez.", is_public=True
    )


def make_petitions_staff(agency: Any, email: str = "") -> Any:
    n = next(_sequence)
    user = make_account(email=email or f"peticiones{n}@{agency.acronym.lower()}.gob.mx", first_name="Luis")
    do_grant_role(user, agency, Role.PETITIONS)
    return user


def make_petition(
    author: Any, agency: Any, *, subject: str = "Alumbrado en la calle Hidalgo", when: dt.datetime | None = None
) -> Any:
    return actions.do_submit_petition(
        author, agency, subject, "Pido que reparen las luminarias de la calle Hidalgo.", now=when
    )


def local_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def pdf_upload(name: str = "anexo.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def make_api_examples(agency: Any) -> None:
    """The items the API's documentation uses as examples (a petition's folio, a consultation's and a body's
    addresses), published at ``agency``, so that every example on /api/v1/docs answers."""
    from portal.agencies.actions import do_grant_portal_admin
    from portal.participation.bodies.tests.factories import make_body
    from portal.participation.consultations.tests.factories import make_consultation
    from portal.participation.models import Consultation, Petition

    moderator = make_citizen(first_name="Marta")
    do_grant_portal_admin(moderator)
    petition = actions.do_publish_petition(make_public_petition(make_citizen(), agency), moderator)
    Petition.objects.filter(pk=petition.pk).update(folio="2026-7K3M-9QXD-9")
    make_body(agency)  # «Consejo Consultivo de Salud»
    consultation = make_consultation(agency)
    Consultation.objects.filter(pk=consultation.pk).update(slug="calidad-del-aire")
