"""The unit's urgent publication (with a reason, reviewed by a second person) and retiring a page with a reason:
withdrawn (online with a notice, out of listings, search and sitemaps), moved (301) or gone (410, archived copy)."""

from __future__ import annotations

import pytest
from wagtail.models import PageLogEntry

from portal.agencies.actions import do_grant_portal_admin
from portal.agencies.tests.factories import make_agency
from portal.sites import queries
from portal.sites.actions import RETIRED_LOG_ACTION, RETIREMENT_UNDONE_LOG_ACTION, URGENT_LOG_ACTION
from portal.sites.models import ContentPage, PageRetirement, UrgentPublication
from testing.clients import client_for
from testing.cms import assert_refused, make_staff_user

from .factories import home_of, make_content_page, press_room_of
from .test_publication_in_admin import content_form

FIXED = '<p>Consulta <a href="https://www.imss.gob.mx/">cuánto te paga el IMSS por incapacidad</a>.</p>'
REASON = "Cambió el decreto y la información anterior induce a error."


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def approver(imss):
    return make_staff_user("aprobador_imss", (imss, "approver"))


@pytest.fixture
def unit(db):
    user = make_staff_user("unidad")
    do_grant_portal_admin(user)
    return user


@pytest.fixture
def other_unit(db):
    user = make_staff_user("unidad2")
    do_grant_portal_admin(user)
    return user


@pytest.fixture
def page(imss, approver):
    """A live page with a change waiting in review."""
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    client_for(approver).post(f"/admin/pages/{page.pk}/edit/", {**content_form(FIXED), "action-submit": "1"})
    return page


def urgent_url(page) -> str:
    return f"/admin/sitios/publicacion-urgente/{page.pk}/"


def test_only_the_unit_publishes_urgently(page, approver):
    client = client_for(approver)
    assert_refused(client.get(urgent_url(page)))
    assert_refused(client.post(urgent_url(page), {"reason": REASON}))
    assert not UrgentPublication.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Escriba el motivo."),
        ("   ", "Escriba el motivo."),
        ("Urge.", "Explique el motivo en al menos 20 caracteres."),
    ],
)
def test_an_urgent_publication_needs_a_reason(page, unit, reason, message):
    response = client_for(unit).post(urgent_url(page), {"reason": reason})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ContentPage.objects.get(pk=page.pk).has_unpublished_changes
    assert not UrgentPublication.objects.exists()


def test_the_unit_publishes_now_with_a_reason_and_a_second_person_reviews_it(page, unit, other_unit, client):
    response = client_for(unit).post(urgent_url(page), {"reason": REASON})

    assert response["Location"] == "/admin/sitios/publicaciones-urgentes/"
    assert "cuánto te paga" in client.get("/imss/incapacidades/").content.decode()
    publication = UrgentPublication.objects.get()
    assert (publication.published_by, publication.reason, publication.reviewed_by) == (unit, REASON, None)
    assert publication.revision == ContentPage.objects.get(pk=page.pk).live_revision
    assert PageLogEntry.objects.filter(page=page, action=URGENT_LOG_ACTION, user=unit).exists()
    assert ContentPage.objects.get(pk=page.pk).current_workflow_state is None, "the review it skipped is cancelled"

    publisher = client_for(unit)
    listing = publisher.get("/admin/sitios/publicaciones-urgentes/").content.decode()
    assert REASON in listing and "Debe revisarla otra persona" in listing
    own = publisher.post("/admin/sitios/publicaciones-urgentes/", {"publication": publication.pk})
    assert own.status_code == 400
    assert "Usted hizo esta publicación urgente: debe revisarla otra persona de la unidad." in own.content.decode()
    assert UrgentPublication.objects.get().reviewed_at is None

    reviewer = client_for(other_unit)
    assert reviewer.post("/admin/sitios/publicaciones-urgentes/", {"publication": publication.pk}).status_code == 302
    publication.refresh_from_db()
    assert publication.reviewed_by == other_unit and publication.reviewed_at is not None
    assert (
        "No hay publicaciones urgentes por revisar."
        in reviewer.get("/admin/sitios/publicaciones-urgentes/").content.decode()
    )


def retire(user, page, **data):
    return client_for(user).post(f"/admin/sitios/retirar/{page.pk}/", {"reason": REASON, **data})


def test_a_withdrawn_page_stays_online_with_its_notice_and_leaves_listings_search_and_sitemaps(imss, approver, client):
    page = make_content_page(home_of(imss), "Incapacidades", slug="incapacidades", show_in_menus=True)
    assert page in [item.specific for item in queries.site_navigation(home_of(imss))]

    response = retire(approver, page, kind="retirada")

    assert response.status_code == 302
    body = client.get("/imss/incapacidades/").content.decode()
    assert "Esta página fue retirada el" in body and REASON in body
    assert page.pk not in [item.pk for item in queries.site_navigation(home_of(imss))]
    assert page.pk not in [record.page_id for record in queries.search_records(agency_id=imss.pk)]
    assert "/imss/incapacidades/" not in client.get("/imss/sitemap.xml").content.decode()
    assert PageLogEntry.objects.filter(page=page, action=RETIRED_LOG_ACTION, user=approver).exists()


def test_a_moved_page_redirects_permanently_to_its_new_page(imss, approver, client):
    page = make_content_page(home_of(imss), "Incapacidades", slug="incapacidades")
    new = make_content_page(home_of(imss), "Incapacidades y permisos", slug="incapacidades-y-permisos")

    assert retire(approver, page, kind="movida", moved_to=new.pk).status_code == 302

    response = client.get("/imss/incapacidades/")
    assert response.status_code == 301 and response["Location"].endswith("/imss/incapacidades-y-permisos/")
    assert not ContentPage.objects.get(pk=page.pk).live


def test_moving_needs_the_new_page(imss, approver):
    page = make_content_page(home_of(imss), "Incapacidades", slug="incapacidades")
    response = retire(approver, page, kind="movida")
    assert response.status_code == 400
    assert "Elija la página publicada que sustituye a esta" in response.content.decode()
    assert ContentPage.objects.get(pk=page.pk).live


def test_a_gone_page_answers_410_with_the_reason_and_its_archived_copy(imss, approver, client):
    page = make_content_page(
        home_of(imss),
        "Incapacidades",
        slug="incapacidades",
        body=[{"type": "text", "value": "<p>Texto que ya no rige.</p>"}],
    )

    assert retire(approver, page, kind="eliminada").status_code == 302

    gone = client.get("/imss/incapacidades/")
    assert gone.status_code == 410
    body = gone.content.decode()
    assert REASON in body and f'href="/imss/archivo/{page.pk}/"' in body
    archived = client.get(f"/imss/archivo/{page.pk}/")
    assert archived.status_code == 200
    assert "Copia archivada" in archived.content.decode() and "Texto que ya no rige." in archived.content.decode()
    assert client.get(f"/sre/archivo/{page.pk}/").status_code == 404
    assert not ContentPage.objects.get(pk=page.pk).live


def test_who_may_retire_what(imss, approver):
    editor = make_staff_user("editora_imss", (imss, "editor"))
    page = make_content_page(home_of(imss), "Incapacidades", slug="incapacidades")

    assert_refused(retire(editor, page, kind="retirada"))
    assert_refused(retire(approver, press_room_of(imss), kind="retirada"))
    assert_refused(retire(approver, home_of(imss), kind="retirada"))
    empty = client_for(approver).post(f"/admin/sitios/retirar/{page.pk}/", {"kind": "retirada", "reason": ""})
    assert empty.status_code == 400 and "Escriba el motivo." in empty.content.decode()
    assert not PageRetirement.objects.exists()


def undo(user, page, reason="Se retiró por error: la información sigue vigente."):
    return client_for(user).post(f"/admin/sitios/deshacer-retiro/{page.pk}/", {"reason": reason})


@pytest.mark.parametrize("kind", ["retirada", "movida", "eliminada"])
def test_undoing_a_retirement_puts_the_page_back_as_it_was(imss, approver, client, kind):
    page = make_content_page(
        home_of(imss), "Incapacidades", slug="incapacidades", body=[{"type": "text", "value": "<p>Lo vigente.</p>"}]
    )
    new = make_content_page(home_of(imss), "Incapacidades y permisos", slug="incapacidades-y-permisos")
    extra = {"moved_to": new.pk} if kind == "movida" else {}
    assert retire(approver, page, kind=kind, **extra).status_code == 302
    edit = client_for(approver).get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f"/admin/sitios/deshacer-retiro/{page.pk}/" in edit
    form = client_for(approver).get(f"/admin/sitios/deshacer-retiro/{page.pk}/")
    assert form.status_code == 200 and REASON in form.content.decode()

    assert undo(approver, page).status_code == 302

    response = client.get("/imss/incapacidades/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lo vigente." in body and "Esta página fue retirada" not in body
    assert not PageRetirement.objects.filter(page=page).exists()
    assert page.pk in [record.page_id for record in queries.search_records(agency_id=imss.pk)]
    assert PageLogEntry.objects.filter(page=page, action=RETIREMENT_UNDONE_LOG_ACTION, user=approver).exists()


def test_undoing_needs_a_reason_and_the_right_to_publish(imss, approver):
    editor = make_staff_user("editora_imss", (imss, "editor"))
    page = make_content_page(home_of(imss), "Incapacidades", slug="incapacidades")
    retire(approver, page, kind="eliminada")

    assert_refused(undo(editor, page))
    empty = undo(approver, page, reason="")
    assert empty.status_code == 400 and "Escriba el motivo." in empty.content.decode()
    assert PageRetirement.objects.filter(page=page).exists()
    live = make_content_page(home_of(imss), "Afiliación", slug="afiliacion")
    assert client_for(approver).get(f"/admin/sitios/deshacer-retiro/{live.pk}/").status_code == 404


def test_a_section_called_archivo_is_still_served(imss, client):
    archive = make_content_page(home_of(imss), "Archivo histórico", slug="archivo")
    year = make_content_page(archive, "Documentos de 2019", slug="2019")
    assert client.get("/imss/archivo/").status_code == 200
    response = client.get(f"/imss/archivo/{year.slug}/")
    assert response.status_code == 200 and "Documentos de 2019" in response.content.decode()
