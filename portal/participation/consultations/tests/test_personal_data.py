"""A participant's comments and supports on consultations come in «Descargar mis datos»."""

from __future__ import annotations

import pytest

from portal.participation.consultations import actions
from portal.participation.consultations.personal_data import export_comment_supports, export_comments
from portal.participation.tests.factories import make_entity, make_verified_citizen

from .factories import make_consultation

pytestmark = pytest.mark.django_db


def test_a_participant_downloads_their_comments_and_supports():
    consultation = make_consultation(make_entity("SEMARNAT"), title="Norma de calidad del aire")
    section = consultation.sections.order_by("order").first()
    rosa, luis = make_verified_citizen(first_name="Rosa"), make_verified_citizen(first_name="Luis")
    comment = actions.do_comment(
        consultation, rosa, "Medir también el ozono.", section=section, on_behalf_of="Aire Limpio AC"
    )
    actions.do_support_comment(comment, luis)
    [mine] = export_comments(rosa)
    assert mine["comentario"] == "Medir también el ozono." and mine["a_nombre_de"] == "Aire Limpio AC"
    assert mine["seccion"] == section.heading and mine["consulta"] == "Norma de calidad del aire"
    assert export_comment_supports(luis) == [
        {
            "consulta": "Norma de calidad del aire",
            "comentario": comment.pk,
            "fecha": export_comment_supports(luis)[0]["fecha"],
        }
    ]
    assert export_comments(luis) == [] and export_comment_supports(rosa) == []
