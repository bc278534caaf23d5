"""Entities' staff edit their sites in the Wagtail admin: drafts, review, and hard isolation between entities.

Everything goes through the real admin views with the HTTP client, as a person in the browser would.
"""

from __future__ import annotations

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from portal.agencies.tests.factories import make_agency
from portal.sites.models import ContentPage, NewsPage
from testing.clients import client_for
from testing.cms import assert_refused, make_staff_user

from .factories import home_of, make_content_page, make_image, make_news, press_room_of


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def sre(db):
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss_editor(imss):
    return make_staff_user("editora_imss", (imss, "editor"))


@pytest.fixture
def imss_approver(imss):
    return make_staff_user("aprobador_imss", (imss, "approver"))


def content_form(**overrides) -> dict:
    values = {
        "title": "Incapacidades por enfermedad",
        "slug": "incapacidades",
        "summary": "Cuándo y cómo se paga una incapacidad.",
        "body": streamfield([("text", rich_text("<p>Si te enfermas, el IMSS te paga una parte de tu salario.</p>"))]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    values.update(overrides)
    return nested_form_data(values)


def test_editor_drafts_a_page_that_an_approver_publishes(imss, imss_editor, imss_approver, client):
    editor = client_for(imss_editor)
    response = editor.post(
        f"/admin/pages/add/agency_sites/contentpage/{home_of(imss).pk}/", {**content_form(), "action-submit": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ContentPage.objects.get(slug="incapacidades")
    assert not page.live and page.agency == imss
    assert client.get("/imss/incapacidades/").status_code == 404

    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    approver = client_for(imss_approver)
    response = approver.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    assert ContentPage.objects.get(pk=page.pk).live
    assert "el IMSS te paga una parte" in client.get("/imss/incapacidades/").content.decode()


def test_editors_cannot_publish_or_remove_the_site_home_or_press_room(imss, imss_editor, imss_approver):
    for user in (imss_editor, imss_approver):
        staff = client_for(user)
        for page in (home_of(imss), press_room_of(imss)):
            for action in ("delete", "unpublish", "move", "copy"):
                assert_refused(staff.post(f"/admin/pages/{page.pk}/{action}/"))
            assert Page.objects.get(pk=page.pk).live
    # The editor may not publish at all: only submit for review.
    editor = client_for(imss_editor)
    home = home_of(imss)
    response = editor.post(
        f"/admin/pages/add/agency_sites/contentpage/{home.pk}/", {**content_form(), "action-publish": "1"}
    )
    assert not ContentPage.objects.filter(slug="incapacidades", live=True).exists(), response.status_code


def test_the_explorer_shows_only_the_entity_own_sites(imss, sre, imss_editor):
    make_content_page(home_of(sre), "Citas para pasaporte")
    editor = client_for(imss_editor)
    root = editor.get("/admin/pages/")
    body = root.content.decode() if root.status_code == 200 else editor.get(root["Location"]).content.decode()
    assert "Secretaría de Relaciones Exteriores" not in body
    site_root = home_of(imss).get_parent()
    listing = editor.get(f"/admin/pages/{site_root.pk}/").content.decode()
    assert "Instituto Mexicano del Seguro Social" in listing
    assert "Secretaría de Relaciones Exteriores" not in listing
    for url in ("/admin/pages/search/?q=pasaporte", "/admin/pages/search/results/?q=pasaporte"):
        assert "Citas para pasaporte" not in editor.get(url).content.decode()


# These answer with whatever of the asked ids the person may see (nothing, here): what they say is what counts.
LISTINGS_THAT_FILTER = ("/admin/choose-page/chosen-multiple/", "/admin/bulk/")
CROSS_ENTITY_URLS = [
    "/admin/pages/{home}/",
    "/admin/pages/{home}/results/",
    "/admin/pages/{page}/",
    "/admin/pages/{page}/edit/",
    "/admin/pages/{page}/edit/preview/",
    "/admin/pages/{page}/view_draft/",
    "/admin/pages/{page}/revisions/{revision}/view/",
    "/admin/pages/{page}/revisions/{revision}/revert/",
    "/admin/pages/{page}/revisions/compare/earliest...latest/",
    "/admin/pages/{page}/history/",
    "/admin/pages/{page}/usage/",
    "/admin/pages/{page}/delete/",
    "/admin/pages/{page}/move/",
    "/admin/pages/{page}/move/{own_home}/confirm/",
    "/admin/pages/{page}/copy/",
    "/admin/pages/{page}/unpublish/",
    "/admin/pages/{page}/privacy/",
    "/admin/pages/{page}/lock/",
    "/admin/pages/{page}/unlock/",
    "/admin/pages/{news}/edit/",
    "/admin/pages/{press}/",
    "/admin/pages/add/agency_sites/contentpage/{home}/",
    "/admin/pages/add/agency_sites/newspage/{press}/",
    "/admin/pages/{home}/add_subpage/",
    "/admin/choose-page/{home}/",
    "/admin/choose-page/chosen-multiple/?id={page}",
    "/admin/images/{image}/",
    "/admin/images/{image}/delete/",
    "/admin/images/{image}/generate_url/",
    "/admin/images/chooser/{image}/",
    "/admin/bulk/wagtailcore/page/delete/?id={page}",
    "/admin/bulk/wagtailimages/image/delete/?id={image}",
]


@pytest.mark.parametrize("template", CROSS_ENTITY_URLS)
def test_guessing_urls_of_another_entity_site_is_refused(template, imss, sre, imss_editor):
    page = make_content_page(home_of(sre), "Citas para pasaporte")
    page.title = "Citas para pasaporte (borrador)"
    page.save_revision()
    news = make_news(sre, "Pasaportes en domingo")
    image = make_image(sre, "Consulado en Chicago")
    url = template.format(
        home=home_of(sre).pk,
        page=page.pk,
        revision=page.latest_revision.pk,
        news=news.pk,
        press=press_room_of(sre).pk,
        own_home=home_of(imss).pk,
        image=image.pk,
    )
    editor = client_for(imss_editor)
    for method in ("get", "post"):
        response = getattr(editor, method)(url)
        body = response.content.decode()
        if template.startswith(LISTINGS_THAT_FILTER):
            assert response.status_code in (200, 302, 403, 404, 405)
        else:
            assert_refused(response)
        for secret in ("pasaporte", "Pasaportes", "Consulado en Chicago"):
            assert secret not in body, (method, secret)

    assert ContentPage.objects.get(pk=page.pk).live and NewsPage.objects.get(pk=news.pk).live


def test_image_chooser_lists_only_the_entity_own_images(imss, sre, imss_editor):
    make_image(imss, "Clínica 19")
    make_image(sre, "Consulado en Chicago")
    body = client_for(imss_editor).get("/admin/images/chooser/").json()["html"]
    assert "Clínica 19" in body and "Consulado en Chicago" not in body
    listing = client_for(imss_editor).get("/admin/images/").content.decode()
    assert "Clínica 19" in listing and "Consulado en Chicago" not in listing
