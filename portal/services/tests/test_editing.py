"""Agency staff edit the catalogue in the Wagtail admin: drafts, review, publication, schedule, and isolation.

Everything goes through the real admin views with the HTTP client, as a person in the browser would.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from portal.agencies.tests.factories import make_agency, make_office
from portal.core.cache import current_generation
from portal.services.models import AgencyCataloguePage, CatalogueRootPage, ServicePage
from portal.services.tests.factories import make_service
from testing.clients import client_for
from testing.cms import PASSWORD, assert_refused
from testing.cms import make_staff_user as make_user


def catalogue_of(agency) -> AgencyCataloguePage:
    return AgencyCataloguePage.objects.get(agency=agency)


def service_form(**overrides) -> dict:
    """The create/edit form as the admin posts it (StreamFields in Wagtail's count/type/value/order format)."""
    values = {
        "title": "Alta de beneficiarios",
        "slug": "alta-de-beneficiarios",
        "homoclave": "IMSS-02-008",
        "audience": "persona",
        "description": "Da de alta a tus hijos o pareja para que reciban atención médica.",
        "result": "Constancia de alta",
        "resolution_days": "5",
        "silence_rule": "negativa",
        "validity": "",
        "payment_info": "",
        "online_url": "",
        "in_person": "on",
        "phone_channel": "",
        "contact": "",
        "complaints": "",
        "digitization": "1",
        "annual_volume": "1200",
        "citizen_minutes": "90",
        "keywords": "beneficiarios, alta",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "cases": streamfield([]),
        "requirements": streamfield(
            [
                (
                    "requirement",
                    {"document": "Acta de nacimiento", "presentation": "original", "copies": "", "conditions": ""},
                )
            ]
        ),
        "steps": streamfield([]),
        "formats": streamfield([]),
        "fees": streamfield([]),
        "legal_basis": streamfield([("legal_basis", {"law": "Ley del Seguro Social", "articles": "", "url": ""})]),
    }
    extra = {key: overrides.pop(key) for key in list(overrides) if key in ("offices", "topics", "life_events")}
    values.update(overrides)
    data = nested_form_data(values)
    data.update(extra)
    return data


def local_input(moment: dt.datetime) -> str:
    """A date-time as typed in the admin's date picker, in the portal's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def create_via_admin(client: Client, agency, **overrides):
    return client.post(f"/admin/pages/add/services/servicepage/{catalogue_of(agency).pk}/", service_form(**overrides))


def edit_via_admin(client: Client, page: ServicePage, action: str | None = None, **overrides):
    data = service_form(**{"homoclave": page.homoclave, "slug": page.slug, **overrides})
    if action:
        data[action] = "1"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def approve_via_admin(client: Client, page: ServicePage):
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    assert task_state is not None, "the page should be awaiting review"
    return client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss_editor(imss):
    return make_user("editora_imss", (imss, "editor"))


@pytest.fixture
def imss_approver(imss):
    return make_user("aprobador_imss", (imss, "approver"))


@pytest.fixture
def sre_approver(sre):
    return make_user("aprobador_sre", (sre, "approver"))


@pytest.fixture
def anonymous() -> Client:
    return Client()


# --- The editorial journey --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_creates_a_draft_with_the_agency_taken_from_the_catalogue(imss, imss_editor, anonymous):
    editor = client_for(imss_editor)
    assert editor.get(f"/admin/pages/add/services/servicepage/{catalogue_of(imss).pk}/").status_code == 200

    response = create_via_admin(editor, imss, homoclave="imss 02 008")

    assert response.status_code == 302
    service = ServicePage.objects.get(homoclave="IMSS-02-008")
    assert service.agency == imss
    assert service.get_parent().pk == catalogue_of(imss).pk
    assert not service.live
    assert service.owner == imss_editor
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 404


@pytest.mark.django_db
def test_homoclave_with_another_agency_prefix_gets_a_clear_spanish_error(imss, sre, imss_editor):
    editor = client_for(imss_editor)

    response = create_via_admin(editor, imss, homoclave="SRE-02-001")

    assert response.status_code == 200
    assert "La homoclave debe empezar con las siglas de la institución: IMSS-" in response.content.decode()
    assert not ServicePage.objects.exists()


@pytest.mark.django_db
def test_malformed_homoclave_says_what_is_wrong(imss, imss_editor):
    response = create_via_admin(client_for(imss_editor), imss, homoclave="IMSS-2-008")

    assert response.status_code == 200
    assert "Después de las siglas van exactamente 2 dígitos" in response.content.decode()
    assert not ServicePage.objects.exists()


@pytest.mark.django_db
def test_editor_cannot_change_the_homoclave_to_another_agency_prefix(imss, sre, imss_editor):
    service = make_service(imss, homoclave="IMSS-02-010", publish=False, owner=imss_editor)

    response = edit_via_admin(client_for(imss_editor), service, homoclave="SRE-02-010")

    assert response.status_code == 200
    assert "La homoclave debe empezar con las siglas de la institución: IMSS-" in response.content.decode()
    service.refresh_from_db()
    assert service.homoclave == "IMSS-02-010"
    assert service.get_latest_revision_as_object().homoclave == "IMSS-02-010"


@pytest.mark.django_db
def test_editor_cannot_publish_directly(imss, imss_editor, anonymous):
    editor = client_for(imss_editor)
    create_via_admin(editor, imss)
    service = ServicePage.objects.get(homoclave="IMSS-02-008")

    response = edit_via_admin(editor, service, action="action-publish", title="Alta publicada sin revisión")

    assert response.status_code == 302
    service.refresh_from_db()
    assert not service.live
    assert service.get_latest_revision_as_object().title == "Alta publicada sin revisión"
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 404
    edit_page = editor.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in edit_page
    assert 'name="action-submit"' in edit_page


@pytest.mark.django_db
def test_an_approver_does_not_publish_their_own_sheet_another_approver_does(
    imss, imss_approver, anonymous, django_capture_on_commit_callbacks
):
    approver = client_for(imss_approver)
    response = create_via_admin(approver, imss, **{"action-publish": "1"})

    service = ServicePage.objects.get(homoclave="IMSS-02-008")
    assert response["Location"] == f"/admin/pages/{service.pk}/edit/"
    assert "usted hizo el último cambio y no puede aprobarlo" in approver.get(response["Location"]).content.decode()
    assert not service.live
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 404

    edit_via_admin(approver, service, action="action-submit")
    refused = approve_via_admin(approver, service)
    assert refused["Location"] == f"/admin/pages/{service.pk}/edit/"
    assert "usted hizo el último cambio y no puede aprobarlo" in approver.get(refused["Location"]).content.decode()
    assert not ServicePage.objects.get(pk=service.pk).live
    with django_capture_on_commit_callbacks(execute=True):
        approve_via_admin(client_for(make_user("aprobadora_imss", (imss, "approver"))), service)
    service.refresh_from_db()
    assert service.live
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 200


@pytest.mark.django_db
def test_review_by_the_agency_approver_publishes_and_another_agency_approver_cannot(
    imss, sre, imss_editor, imss_approver, sre_approver, anonymous, django_capture_on_commit_callbacks
):
    editor = client_for(imss_editor)
    create_via_admin(editor, imss)
    service = ServicePage.objects.get(homoclave="IMSS-02-008")
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 404  # also puts the 404 in the page cache

    response = edit_via_admin(editor, service, action="action-submit")
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.workflow_in_progress
    assert service.current_workflow_state.workflow.name == "Revisión IMSS"

    refused = approve_via_admin(client_for(sre_approver), service)
    assert_refused(refused)
    service.refresh_from_db()
    assert not service.live and service.workflow_in_progress
    assert client_for(sre_approver).get(f"/admin/pages/{service.pk}/edit/").status_code == 302

    generation = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        response = approve_via_admin(client_for(imss_approver), service)

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.live and not service.workflow_in_progress
    assert current_generation() > generation
    public = anonymous.get("/tramites/IMSS-02-008/")
    assert public.status_code == 200
    assert "Alta de beneficiarios" in public.content.decode()


@pytest.mark.django_db
def test_publishing_a_new_revision_replaces_the_cached_public_page(
    imss, imss_editor, imss_approver, anonymous, django_capture_on_commit_callbacks
):
    service = make_service(imss, homoclave="IMSS-02-008", title="Alta de beneficiarios")
    editor, approver = client_for(imss_editor), client_for(imss_approver)
    assert "Alta de beneficiarios" in anonymous.get("/tramites/IMSS-02-008/").content.decode()
    # The page is now cached: a change that does not go through publishing is not seen by the public.
    ServicePage.objects.filter(pk=service.pk).update(title="Cambio sin publicar")
    assert "Alta de beneficiarios" in anonymous.get("/tramites/IMSS-02-008/").content.decode()

    edit_via_admin(editor, service, action="action-submit", title="Alta de beneficiarios en línea")
    assert "Alta de beneficiarios en línea" not in anonymous.get("/tramites/IMSS-02-008/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approve_via_admin(approver, service)

    assert "Alta de beneficiarios en línea" in anonymous.get("/tramites/IMSS-02-008/").content.decode()


@pytest.mark.django_db
def test_each_edit_is_a_revision_and_revisions_can_be_compared(imss, imss_editor):
    editor = client_for(imss_editor)
    create_via_admin(editor, imss, title="Alta de beneficiarios")
    service = ServicePage.objects.get(homoclave="IMSS-02-008")
    edit_via_admin(editor, service, title="Alta de beneficiarios y pareja")

    first, second = service.revisions.order_by("created_at", "pk")
    response = editor.get(f"/admin/pages/{service.pk}/revisions/compare/{first.pk}...{second.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Alta de beneficiarios" in body and "y pareja" in body
    history = editor.get(f"/admin/pages/{service.pk}/history/")
    assert history.status_code == 200


@pytest.mark.django_db
def test_scheduled_revision_goes_live_only_when_the_scheduler_runs_after_its_time(
    imss, imss_editor, imss_approver, anonymous, django_capture_on_commit_callbacks
):
    service = make_service(imss, homoclave="IMSS-02-008", title="Alta de beneficiarios")
    go_live = timezone.now() + dt.timedelta(days=3)

    edit_via_admin(
        client_for(imss_editor),
        service,
        action="action-submit",
        title="Alta con nuevo plazo",
        go_live_at=local_input(go_live),
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_via_admin(client_for(imss_approver), service)

    assert ServicePage.objects.get(pk=service.pk).scheduled_revision is not None
    assert "Alta con nuevo plazo" not in anonymous.get("/tramites/IMSS-02-008/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once")
    assert "Alta con nuevo plazo" not in anonymous.get("/tramites/IMSS-02-008/").content.decode()

    with time_machine.travel(go_live + dt.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduler", "--once")
        public = anonymous.get("/tramites/IMSS-02-008/")

    assert "Alta con nuevo plazo" in public.content.decode()
    service = ServicePage.objects.get(pk=service.pk)
    assert service.title == "Alta con nuevo plazo" and service.scheduled_revision is None


@pytest.mark.django_db
def test_unpublished_service_is_gone_from_the_public_site(
    imss, imss_approver, imss_editor, anonymous, django_capture_on_commit_callbacks
):
    service = make_service(imss, homoclave="IMSS-02-008")
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 200
    assert_refused(client_for(imss_editor).post(f"/admin/pages/{service.pk}/unpublish/"))
    assert ServicePage.objects.get(pk=service.pk).live

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(imss_approver).post(f"/admin/pages/{service.pk}/unpublish/")

    assert response.status_code == 302
    assert not ServicePage.objects.get(pk=service.pk).live
    assert anonymous.get("/tramites/IMSS-02-008/").status_code == 404


# --- One agency's staff never reach another's services -----------------------------------------------------------------


@pytest.fixture
def sre_service(sre):
    """A live SRE sheet with a newer draft in review."""
    service = make_service(sre, homoclave="SRE-02-001", title="Pasaporte ordinario")
    service.title = "Pasaporte ordinario en revisión"
    service.save_revision()
    service.get_workflow().start(service, make_user("editor_sre", (sre, "editor")))
    return ServicePage.objects.get(pk=service.pk)


@pytest.mark.django_db
def test_another_agency_approver_cannot_act_on_the_review_by_url(imss, sre, imss_editor, sre_approver):
    editor = client_for(imss_editor)
    create_via_admin(editor, imss)
    service = ServicePage.objects.get(homoclave="IMSS-02-008")
    edit_via_admin(editor, service, action="action-submit")
    task_state = Page.objects.get(pk=service.pk).current_workflow_task_state
    other = client_for(sre_approver)

    for action in ("approve", "reject"):
        for method in ("get", "post"):
            url = f"/admin/pages/workflow/action/{service.pk}/{action}/{task_state.pk}/"
            assert_refused(getattr(other, method)(url, {"comment": "no"} if method == "post" else None))
            url = f"/admin/pages/workflow/collect_action_data/{service.pk}/{action}/{task_state.pk}/"
            assert_refused(getattr(other, method)(url, {"comment": "no"} if method == "post" else None))
    assert_refused(other.get(f"/admin/pages/workflow/preview/{service.pk}/{task_state.task_id}/"))
    assert "Alta de beneficiarios" not in other.get("/admin/").content.decode()

    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


@pytest.mark.django_db
def test_admin_search_lists_only_the_agency_services(imss, imss_editor, sre_service):
    make_service(imss, homoclave="IMSS-02-001", title="Pasaporte de salud")
    editor = client_for(imss_editor)

    for url in ("/admin/pages/search/?q=pasaporte", "/admin/pages/search/results/?q=pasaporte"):
        body = editor.get(url).content.decode()
        assert "Pasaporte de salud" in body
        assert "Pasaporte ordinario" not in body
    body = editor.get(f"/admin/pages/{catalogue_of(imss).pk}/?q=pasaporte").content.decode()
    assert "Pasaporte de salud" in body and "Pasaporte ordinario" not in body
    by_type = editor.get("/admin/pages/usage/services/servicepage/").content.decode()
    assert "Pasaporte de salud" in by_type and "Pasaporte ordinario" not in by_type


@pytest.mark.django_db
def test_page_chooser_offers_only_the_agency_pages(imss, imss_editor, sre_service):
    own = make_service(imss, homoclave="IMSS-02-001", title="Pasaporte de salud")
    editor = client_for(imss_editor)

    browse_own = editor.get(f"/admin/choose-page/{catalogue_of(imss).pk}/")
    assert browse_own.status_code == 200 and "Pasaporte de salud" in browse_own.json()["html"]
    root = CatalogueRootPage.objects.get()
    browse_root = editor.get(f"/admin/choose-page/{root.pk}/").json()["html"]
    assert "Instituto Mexicano del Seguro Social" in browse_root
    assert "Secretaría de Relaciones Exteriores" not in browse_root
    assert "Catálogo nacional" in editor.get("/admin/choose-page/").json()["html"]

    search = editor.get("/admin/choose-page/search/?q=pasaporte").content.decode()
    assert "Pasaporte de salud" in search and "Pasaporte ordinario" not in search
    typed = editor.get("/admin/choose-page/search/?q=pasaporte&page_type=services.servicepage").content.decode()
    assert "Pasaporte ordinario" not in typed

    assert editor.get(f"/admin/choose-page/{sre_service.pk}/?page_type=services.servicepage").status_code == 404
    chosen = editor.get(f"/admin/choose-page/chosen-multiple/?id={sre_service.pk}&id={own.pk}&id=x").json()
    assert [item["id"] for item in chosen["result"]] == [own.pk]


@pytest.mark.django_db
def test_cross_agency_reports_are_not_shown_to_agency_staff(imss, imss_editor, sre_service):
    editor = client_for(imss_editor)

    assert_refused(editor.get("/admin/reports/page-types-usage/"))
    assert_refused(editor.get("/admin/reports/page-types-usage/results/"))
    for url in ("/admin/reports/site-history/", "/admin/reports/aging-pages/", "/admin/reports/workflow/"):
        response = editor.get(url)
        assert response.status_code == 200
        assert "Pasaporte" not in response.content.decode()


@pytest.mark.django_db
def test_documents_of_another_agency_are_not_visible_or_choosable(imss, sre, imss_editor):
    Document = get_document_model()
    own = Document.objects.create(
        title="Formato de alta IMSS",
        file=ContentFile(b"%PDF-1.4 alta", name="alta.pdf"),
        collection=Collection.objects.get(name="IMSS"),
    )
    other = Document.objects.create(
        title="Formato de pasaporte SRE",
        file=ContentFile(b"%PDF-1.4 pasaporte", name="pasaporte.pdf"),
        collection=Collection.objects.get(name="SRE"),
    )
    editor = client_for(imss_editor)

    for url in ("/admin/documents/", "/admin/documents/chooser/", "/admin/documents/chooser/results/?q=formato"):
        body = editor.get(url).content.decode()
        assert own.title in body
        assert other.title not in body
    assert_refused(editor.get(f"/admin/documents/edit/{other.pk}/"))
    assert_refused(editor.get(f"/admin/documents/delete/{other.pk}/"))
    assert_refused(editor.get(f"/admin/documents/usage/{other.pk}/"))

    forged = create_via_admin(
        editor, imss, formats=streamfield([("document", {"title": "Formato", "document": str(other.pk)})])
    )
    assert forged.status_code == 200
    [error] = forged.context["form"].errors.as_data()["formats"]
    assert "no está en la colección de su institución" in str(error.block_errors[0].block_errors["document"])
    assert not ServicePage.objects.exists()

    allowed = create_via_admin(
        editor, imss, formats=streamfield([("document", {"title": "Formato", "document": str(own.pk)})])
    )
    assert allowed.status_code == 302
    assert ServicePage.objects.get().get_latest_revision_as_object().formats[0].value["document"] == own


@pytest.mark.django_db
def test_sheet_offers_only_the_agency_offices(imss, sre, imss_editor):
    own = make_office(imss, name="Unidad de Medicina Familiar 1")
    other = make_office(sre, name="Oficina de pasaportes Colima")
    editor = client_for(imss_editor)

    form = editor.get(f"/admin/pages/add/services/servicepage/{catalogue_of(imss).pk}/").content.decode()
    assert own.name in form and other.name not in form

    forged = create_via_admin(editor, imss, offices=[str(other.pk)])
    assert forged.status_code == 200
    assert not ServicePage.objects.exists()

    create_via_admin(editor, imss, offices=[str(own.pk)])
    assert list(ServicePage.objects.get().get_latest_revision_as_object().offices.all()) == [own]


# --- Rules that hold for every user ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_of_two_agencies_work_on_both(imss, sre, sre_service):
    user = make_user("doble", (imss, "editor"), (sre, "editor"))
    own = make_service(imss, homoclave="IMSS-02-001", title="Pasaporte de salud")
    client = client_for(user)

    root = CatalogueRootPage.objects.get()
    listing = client.get(f"/admin/pages/{root.pk}/").content.decode()
    assert "Instituto Mexicano del Seguro Social" in listing and "Secretaría de Relaciones Exteriores" in listing
    search = client.get("/admin/pages/search/?q=pasaporte").content.decode()
    assert "Pasaporte de salud" in search and "Pasaporte ordinario" in search
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{sre_service.pk}/edit/").status_code == 200

    third = make_agency("SAT", name="Servicio de Administración Tributaria")
    assert_refused(client.get(f"/admin/pages/{catalogue_of(third).pk}/add_subpage/"))
    assert "Servicio de Administración Tributaria" not in client.get(f"/admin/pages/{root.pk}/").content.decode()


@pytest.mark.django_db
def test_a_service_cannot_move_to_another_agency_catalogue(imss, sre):
    user = make_user("doble", (imss, "approver"), (sre, "approver"))
    service = make_service(imss, homoclave="IMSS-02-001")
    client = client_for(user)

    response = client.post(f"/admin/pages/{service.pk}/move/{catalogue_of(sre).pk}/confirm/")

    assert_refused(response)
    service.refresh_from_db()
    assert service.get_parent().pk == catalogue_of(imss).pk and service.agency == imss
    assert not service.permissions_for_user(
        get_user_model().objects.create_superuser("root", "r@x.mx", PASSWORD)
    ).can_move_to(catalogue_of(sre))


@pytest.mark.django_db
def test_services_and_catalogues_are_never_copied(imss, imss_approver):
    service = make_service(imss, homoclave="IMSS-02-001")
    client = client_for(imss_approver)

    assert_refused(client.get(f"/admin/pages/{service.pk}/copy/"))
    response = client.post(
        f"/admin/pages/{service.pk}/copy/",
        {"new_title": "Copia", "new_slug": "copia", "new_parent_page": catalogue_of(imss).pk},
    )
    assert_refused(response)
    assert ServicePage.objects.count() == 1


@pytest.mark.django_db
def test_agency_catalogue_page_is_not_deleted_moved_or_reassigned_by_its_staff(imss, sre, imss_approver):
    catalogue = catalogue_of(imss)
    client = client_for(imss_approver)

    for url in (f"/admin/pages/{catalogue.pk}/delete/", f"/admin/pages/{catalogue.pk}/unpublish/"):
        assert_refused(client.post(url))
    assert AgencyCataloguePage.objects.get(pk=catalogue.pk).live

    edit_form = client.get(f"/admin/pages/{catalogue.pk}/edit/").content.decode()
    assert 'name="agency"' not in edit_form
    client.post(
        f"/admin/pages/{catalogue.pk}/edit/", {"title": catalogue.title, "slug": catalogue.slug, "agency": sre.pk}
    )
    assert AgencyCataloguePage.objects.get(pk=catalogue.pk).agency == imss


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "marker"), [("en", 'lang="en"'), ("es", 'lang="es"')])
def test_admin_speaks_the_language_each_person_chose(imss, imss_editor, language, marker):
    profile = UserProfile.get_for_user(imss_editor)
    profile.preferred_language = language
    profile.save()

    body = client_for(imss_editor).get("/admin/").content.decode()

    assert marker in body


@pytest.mark.django_db
def test_page_preview_carries_the_admin_policy_so_the_editor_can_frame_it(imss, imss_editor):
    service = make_service(imss, homoclave="IMSS-02-008", title="Alta de beneficiarios")
    editor = client_for(imss_editor)

    preview = editor.get(f"/admin/pages/{service.pk}/view_draft/")

    assert preview.status_code == 200 and "Alta de beneficiarios" in preview.content.decode()
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    public = Client().get("/tramites/IMSS-02-008/")
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_sends_no_staff_email_hash_to_gravatar(imss, imss_editor):
    body = client_for(imss_editor).get("/admin/").content.decode()

    assert "gravatar" not in body


@pytest.mark.django_db
def test_review_requests_reach_only_the_agency_approvers(
    imss, sre, imss_editor, imss_approver, sre_approver, mailoutbox, django_capture_on_commit_callbacks
):
    editor = client_for(imss_editor)
    create_via_admin(editor, imss)
    service = ServicePage.objects.get(homoclave="IMSS-02-008")

    with django_capture_on_commit_callbacks(execute=True):
        edit_via_admin(editor, service, action="action-submit")

    recipients = {address for message in mailoutbox for address in message.to}
    assert imss_approver.email in recipients
    assert sre_approver.email not in recipients


@pytest.mark.django_db
def test_bulk_unpublish_still_works_on_the_agency_own_pages(imss, imss_approver, django_capture_on_commit_callbacks):
    own = make_service(imss, homoclave="IMSS-02-001", title="Pasaporte de salud")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(imss_approver).post(f"/admin/bulk/wagtailcore/page/unpublish/?id={own.pk}")

    assert response.status_code == 302
    assert not ServicePage.objects.get(pk=own.pk).live
    assert Client().get("/tramites/IMSS-02-001/").status_code == 404


@pytest.mark.django_db
def test_document_bulk_actions_do_not_name_another_agency_documents(imss, sre, imss_editor):
    other = get_document_model().objects.create(
        title="Formato de pasaporte SRE",
        file=ContentFile(b"%PDF-1.4 pasaporte", name="pasaporte.pdf"),
        collection=Collection.objects.get(name="SRE"),
    )
    editor = client_for(imss_editor)

    for action in ("delete", "add_tags", "add_to_collection"):
        body = editor.get(f"/admin/bulk/wagtaildocs/document/{action}/?id={other.pk}").content.decode()
        assert other.title not in body
    editor.post(f"/admin/bulk/wagtaildocs/document/delete/?id={other.pk}")
    assert get_document_model().objects.filter(pk=other.pk).exists()
