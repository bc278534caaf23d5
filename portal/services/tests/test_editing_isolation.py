"""One agency's staff never reach another's services by guessing admin addresses or through bulk actions.

Moved from ``test_editing.py`` so that the two entities, their staff and the SRE sheet in review, which thirty tests
only read, are built once per module (``testing.db.built_for_the_module``) instead of once per test: each test gets
fresh copies, and what its requests change is rolled back after it as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from portal.agencies.tests.factories import make_agency
from portal.services.models import AgencyCataloguePage, ServicePage
from portal.services.tests.factories import make_service
from testing.clients import client_for
from testing.cms import assert_refused
from testing.cms import make_staff_user as make_user
from testing.db import built_for_the_module, fresh


def catalogue_of(agency) -> AgencyCataloguePage:
    return AgencyCataloguePage.objects.get(agency=agency)


@dataclass
class World:
    imss: object
    imss_editor: object
    imss_approver: object
    sre_service: ServicePage


def build_world() -> World:
    """What ``test_editing.py``'s fixtures of the same names build."""
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    sre = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    # A live SRE sheet with a newer draft in review.
    service = make_service(sre, homoclave="SRE-02-001", title="Pasaporte ordinario")
    service.title = "Pasaporte ordinario en revisión"
    service.save_revision()
    service.get_workflow().start(service, make_user("editor_sre", (sre, "editor")))
    return World(
        imss=imss,
        imss_editor=make_user("editora_imss", (imss, "editor")),
        imss_approver=make_user("aprobador_imss", (imss, "approver")),
        sre_service=ServicePage.objects.get(pk=service.pk),
    )


@pytest.fixture(scope="module")
def _world_built(django_db_setup, django_db_blocker):
    with built_for_the_module(django_db_blocker, build_world) as built:
        yield built


@pytest.fixture
def world(_world_built, db) -> World:
    """Built once per module; each test gets fresh copies and its changes are rolled back."""
    return fresh(_world_built)


@pytest.fixture
def imss(world):
    return world.imss


@pytest.fixture
def imss_editor(world):
    return world.imss_editor


@pytest.fixture
def imss_approver(world):
    return world.imss_approver


@pytest.fixture
def sre_service(world):
    return world.sre_service


CROSS_AGENCY_URLS = [
    "/admin/pages/{catalogue}/",
    "/admin/pages/{service}/",
    "/admin/pages/{service}/edit/",
    "/admin/pages/{service}/edit/preview/",
    "/admin/pages/{service}/view_draft/",
    "/admin/pages/{service}/revisions/{revision}/view/",
    "/admin/pages/{service}/revisions/{revision}/revert/",
    "/admin/pages/{service}/revisions/compare/earliest...latest/",
    "/admin/pages/{service}/history/",
    "/admin/pages/{service}/history/results/",
    "/admin/pages/{service}/workflow_history/detail/{workflow_state}/",
    "/admin/pages/workflow/preview/{service}/{task}/",
    "/admin/pages/workflow/action/{service}/approve/{task_state}/",
    "/admin/pages/{service}/workflow_history/",
    "/admin/pages/{service}/usage/",
    "/admin/pages/{service}/delete/",
    "/admin/pages/{service}/move/",
    "/admin/pages/{service}/copy/",
    "/admin/pages/{service}/unpublish/",
    "/admin/pages/{service}/privacy/",
    "/admin/pages/{service}/lock/",
    "/admin/pages/{service}/unlock/",
    "/admin/pages/{service}/set_position/?position=0",
    "/admin/pages/{service}/convert_alias/",
    "/admin/pages/{service}/revisions/{revision}/unschedule/",
    "/admin/pages/workflow/confirm_cancellation/{service}/",
    "/admin/pages/{service}/move/{own_catalogue}/confirm/",
    "/admin/pages/add/services/servicepage/{catalogue}/",
    "/admin/pages/{catalogue}/add_subpage/",
    "/admin/choose-page/{catalogue}/",
    "/admin/choose-page/{service}/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("template", CROSS_AGENCY_URLS)
def test_guessing_urls_of_another_agency_service_is_refused(template, imss, imss_editor, sre_service):
    own_root = f"/admin/pages/{catalogue_of(imss).pk}/"
    task_state = sre_service.current_workflow_task_state
    url = template.format(
        service=sre_service.pk,
        catalogue=catalogue_of(sre_service.agency).pk,
        revision=sre_service.latest_revision.pk,
        own_catalogue=catalogue_of(imss).pk,
        workflow_state=task_state.workflow_state_id,
        task=task_state.task_id,
        task_state=task_state.pk,
    )

    for method in ("get", "post"):
        response = getattr(client_for(imss_editor), method)(url)
        assert_refused(response, allowed_redirects=("/admin/", own_root))
        assert "Pasaporte" not in response.content.decode()

    sre_service = ServicePage.objects.get(pk=sre_service.pk)
    assert sre_service.live and sre_service.title == "Pasaporte ordinario"
    assert sre_service.get_parent().pk == catalogue_of(sre_service.agency).pk
    assert sre_service.workflow_in_progress and sre_service.locked is False


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_actions_neither_name_nor_touch_another_agency_pages(action, imss, imss_approver, sre_service):
    own = make_service(imss, homoclave="IMSS-02-001", title="Pasaporte de salud")
    approver = client_for(imss_approver)
    catalogue = catalogue_of(sre_service.agency).pk

    for query in (f"id={sre_service.pk}&id={own.pk}", f"id=all&childOf={catalogue}"):
        body = approver.get(f"/admin/bulk/wagtailcore/page/{action}/?{query}").content.decode()
        assert "Pasaporte ordinario" not in body
    assert "Pasaporte de salud" in approver.get(f"/admin/bulk/wagtailcore/page/{action}/?id={own.pk}").content.decode()

    approver.post(f"/admin/bulk/wagtailcore/page/{action}/?id={sre_service.pk}", {"move_to": catalogue_of(imss).pk})
    sre_service = ServicePage.objects.get(pk=sre_service.pk)
    assert sre_service.live and sre_service.get_parent().pk == catalogue
