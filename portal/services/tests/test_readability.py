"""Plain language on the service sheets: the Spanish readability score (Szigriszt-Pazos on the INFLESZ scale), the
fields a sheet lacks, the reason asked for when a hard sheet is published or sent for approval (never for a draft),
and the portal-wide report, each entity's staff seeing only their own sheets."""

from __future__ import annotations

import pytest

from portal.agencies.tests.factories import make_agency
from portal.services import readability
from portal.services.models import ServicePage
from portal.services.tests.factories import make_service
from portal.services.tests.test_editing import edit_via_admin
from testing.clients import client_for
from testing.cms import make_staff_user

EASY = (
    "Con este trámite obtienes tu pasaporte. Llena la solicitud en línea. Paga el derecho en el banco. "
    "Acude a tu cita con tu acta de nacimiento y una identificación. Te toman la foto y las huellas. "
    "Recibes el pasaporte el mismo día. Si eres menor de edad, ven con tu mamá o tu papá. "
)
HARD = (
    "La presente solicitud deberá acompañarse de la documentación comprobatoria correspondiente, debidamente "
    "certificada por autoridad competente, conforme a las disposiciones administrativas aplicables, "
    "considerándose improcedentes aquellas promociones cuya fundamentación resulte insuficiente. "
)


def test_an_easy_text_reads_normal_or_better_and_a_bureaucratic_one_does_not():
    easy, hard = readability.readability(EASY), readability.readability(HARD * 2)
    assert easy.score is not None and easy.score >= 65 and easy.level in ("bastante fácil", "muy fácil")
    assert hard.score is not None and hard.score < 40 and hard.level == "muy difícil"
    assert hard.below_threshold and not easy.below_threshold


def test_a_few_words_get_no_score():
    short = readability.readability("Pasaporte ordinario para mayores de edad.")
    assert short.score is None and short.level == "texto demasiado corto para medirlo"
    assert not short.below_threshold


@pytest.mark.django_db
def test_the_sheet_is_read_as_a_person_reads_it_and_its_empty_fields_are_named():
    sheet = make_service(make_agency("SRE"), description=EASY, result="Pasaporte ordinario")
    text = readability.sheet_text(lambda name: getattr(sheet, name, None))
    assert "Con este trámite obtienes tu pasaporte." in text and "Pasaporte ordinario." in text
    score, missing = readability.of_page(sheet)
    assert score.score is not None
    assert "dudas e información" in missing and "descripción en lenguaje claro" not in missing
    assert ServicePage.objects.get(pk=sheet.pk).readability_score == score.score  # kept on save


@pytest.fixture
def imss_sheet(db):
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    return imss, make_service(imss, homoclave="IMSS-02-008", publish=True)


def test_sending_a_hard_sheet_for_approval_asks_for_a_reason(imss_sheet):
    imss, sheet = imss_sheet
    client = client_for(make_staff_user("editora_imss", (imss, "editor")))
    refused = edit_via_admin(client, sheet, "action-submit", description=HARD * 2)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "El texto de la ficha tiene una legibilidad de" in page and "el mínimo es 55" in page
    accepted = edit_via_admin(
        client, sheet, "action-submit", description=HARD * 2, readability_reason="Texto exigido por la ley."
    )
    assert accepted.status_code == 302


def test_a_draft_of_a_hard_sheet_is_saved_without_a_reason(imss_sheet):
    imss, sheet = imss_sheet
    client = client_for(make_staff_user("editora_imss", (imss, "editor")))
    assert edit_via_admin(client, sheet, description=HARD * 2).status_code == 302


def test_the_report_lists_an_entitys_sheets_hardest_first_and_never_anothers(imss_sheet):
    imss, easy_sheet = imss_sheet
    hard_sheet = make_service(imss, homoclave="IMSS-02-009", title="Constancia difícil", description=HARD * 2)
    other = make_service(make_agency("SRE"), homoclave="SRE-02-002", title="Pasaporte de otra institución")
    ServicePage.objects.filter(pk=easy_sheet.pk).update(description=EASY, readability_score=None)
    client = client_for(make_staff_user("editora_imss", (imss, "editor")))
    response = client.get("/admin/lenguaje-claro/")
    assert response.status_code == 200
    titles = [row["sheet"].title for row in response.context["rows"]]
    assert titles[0] == hard_sheet.title and other.title not in titles
    assert "muy difícil" in response.content.decode()
    # A sheet saved before scores were kept gets its score when the report first shows it.
    assert ServicePage.objects.get(pk=easy_sheet.pk).readability_score is not None
    only_hard = client.get("/admin/lenguaje-claro/?dificiles=1").context["rows"]
    assert [row["sheet"].title for row in only_hard] == [hard_sheet.title]
