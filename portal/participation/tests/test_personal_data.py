"""«Descargar mis datos» carries the person's petitions, with their history, and closing the account keeps them."""

from __future__ import annotations

import pytest

from portal.accounts import personal_data
from portal.agencies.actions import do_grant_portal_admin
from portal.participation import actions
from portal.participation import personal_data as participation_data

from .factories import (
    make_citizen,
    make_entity,
    make_petition,
    make_petitions_staff,
    make_public_petition,
    make_verified_citizen,
)

pytestmark = pytest.mark.django_db


def test_the_download_has_each_petition_with_its_answer_and_history():
    imss = make_entity("IMSS")
    author = make_citizen()
    petition = make_petition(author, imss)
    actions.do_answer_petition(petition, make_petitions_staff(imss), "Respuesta.")
    make_petition(make_citizen(), imss)  # someone else's

    personal_data.autodiscover()
    exported = personal_data.exporters()["peticiones"](author)

    assert [row["folio"] for row in exported] == [petition.folio]
    assert exported[0]["respuesta"] == "Respuesta."
    assert [step["evento"] for step in exported[0]["historial"]] == ["Petición recibida", "Respondida"]
    assert "participation.Petition" in personal_data.kept_models()


def test_the_download_lists_the_public_petitions_the_person_supports():
    moderator = make_citizen(first_name="Marta")
    do_grant_portal_admin(moderator)
    petition = actions.do_publish_petition(make_public_petition(make_citizen(), make_entity("SEMOVI")), moderator)
    supporter = make_verified_citizen()
    actions.do_support_petition(petition, supporter)
    rows = participation_data.export_supports(supporter)
    assert [(row["folio"], row["asunto"]) for row in rows] == [(petition.folio, petition.subject)]
