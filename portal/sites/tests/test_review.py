"""Four eyes: the person who made a change to an entity's page (site or catalogue) never approves or publishes it
themselves; another approver, or the portal's administrators, do (review.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowTask

from portal.agencies.actions import do_grant_portal_admin, do_set_up_agency_workspace
from portal.agencies.tests.factories import make_agency
from portal.sites.models import ContentPage, EntityReviewTask
from portal.sites.review import last_editor_id
from testing.clients import client_for
from testing.cms import make_staff_user

from .factories import home_of, make_content_page
from .test_publication_in_admin import content_form, shown

OWN_CHANGE = "usted hizo el último cambio y no puede aprobarlo"
FIXED = '<p>Consulta <a href="https://www.imss.gob.mx/">cuánto te paga el IMSS por incapacidad</a>.</p>'


@pytest.fixture
def imss(db):
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def approver(imss):
    return make_staff_user("aprobador_imss", (imss, "approver"))


@pytest.fixture
def other_approver(imss):
    return make_staff_user("aprobadora_imss", (imss, "approver"))


def submit(user, page, text: str = FIXED):
    return client_for(user).post(f"/admin/pages/{page.pk}/edit/", {**content_form(text), "action-submit": "1"})


def approve(user_or_client, page):
    client = user_or_client if isinstance(user_or_client, Client) else client_for(user_or_client)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    assert task_state is not None
    return client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})


def test_an_entitys_workflow_is_one_review_task_that_its_approvers_hold(imss):
    workflow = Workflow.objects.get(name="Revisión IMSS")
    task = WorkflowTask.objects.get(workflow=workflow).task.specific
    assert isinstance(task, EntityReviewTask)
    assert [group.name for group in task.groups.all()] == ["IMSS · Aprobadores"]


def test_a_plain_approval_task_made_before_becomes_a_review_task_in_place_and_again_changes_nothing(db):
    sre = make_agency("SRE")
    workflow = Workflow.objects.get(name="Revisión SRE")
    old = WorkflowTask.objects.get(workflow=workflow).task
    # As the workspaces made before this task existed: a plain group approval task.
    EntityReviewTask.objects.get(pk=old.pk).delete(keep_parents=True)
    GroupApprovalTask.objects.filter(pk=old.pk).update(content_type=GroupApprovalTask().content_type)
    assert not isinstance(GroupApprovalTask.objects.get(pk=old.pk).specific, EntityReviewTask)

    do_set_up_agency_workspace(sre)
    do_set_up_agency_workspace(sre)

    task = WorkflowTask.objects.get(workflow=workflow).task.specific
    assert isinstance(task, EntityReviewTask) and task.pk == old.pk
    assert [group.name for group in task.groups.all()] == ["SRE · Aprobadores"]
    assert EntityReviewTask.objects.count() == 1


def test_an_approver_who_changed_a_page_cannot_publish_it_and_the_change_is_kept(imss, approver):
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    client = client_for(approver)

    response = client.post(f"/admin/pages/{page.pk}/edit/", {**content_form(FIXED), "action-publish": "1"})

    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert OWN_CHANGE in shown(client, response)
    page = ContentPage.objects.get(pk=page.pk)
    assert page.has_unpublished_changes and last_editor_id(page) == approver.pk
    assert "cuánto te paga" not in client.get("/imss/incapacidades/").content.decode()


def test_a_new_page_published_by_its_author_stays_a_draft(imss, approver):
    client = client_for(approver)
    response = client.post(
        f"/admin/pages/add/agency_sites/contentpage/{home_of(imss).pk}/",
        {**content_form(FIXED), "action-publish": "1"},
    )
    page = ContentPage.objects.get(slug="incapacidades")
    assert OWN_CHANGE in shown(client, response)
    assert not page.live


def test_the_author_is_not_offered_approve_is_refused_and_another_approver_publishes(imss, approver, other_approver):
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    submit(approver, page)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    task = task_state.task.specific

    assert "approve" not in [name for name, _label, _modal in task.get_actions(page, approver)]
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, other_approver)]

    author = client_for(approver)
    refused = approve(author, page)
    assert refused["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert OWN_CHANGE in shown(author, refused)
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert ContentPage.objects.get(pk=page.pk).has_unpublished_changes

    approve(other_approver, page)
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert "cuánto te paga" in client_for(approver).get("/imss/incapacidades/").content.decode()


def test_the_task_itself_refuses_its_author_whatever_the_path(imss, approver):
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    submit(approver, page)
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state

    with pytest.raises(Exception, match=OWN_CHANGE):
        task_state.task.specific.on_action(task_state, approver, "approve")
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_saving_again_without_changing_anything_does_not_make_the_approver_the_author(imss, approver):
    editor = make_staff_user("editora_imss", (imss, "editor"))
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    submit(editor, page)
    assert last_editor_id(page) == editor.pk

    # The approver opens the editor and saves it as it is: a new revision (Wagtail saves one on every save), no change.
    ContentPage.objects.get(pk=page.pk).get_latest_revision_as_object().save_revision(user=approver)

    assert last_editor_id(page) == editor.pk
    task = ContentPage.objects.get(pk=page.pk).current_workflow_task.specific
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, approver)]


def test_the_portal_administrators_review_every_entity(imss, approver):
    unit = make_staff_user("unidad")
    do_grant_portal_admin(unit)
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    submit(approver, page)

    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    approve(unit, page)

    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert "cuánto te paga" in client_for(approver).get("/imss/incapacidades/").content.decode()


def test_the_data_migration_turns_the_entities_plain_tasks_into_review_tasks(db):
    # Not at the top: a migration module's name starts with a digit.
    from importlib import import_module

    from django.apps import apps

    migration = import_module("portal.sites.migrations.0004_entity_workflows_use_review_task")
    make_agency("SRE")
    old = WorkflowTask.objects.get(workflow__name="Revisión SRE").task
    EntityReviewTask.objects.get(pk=old.pk).delete(keep_parents=True)
    GroupApprovalTask.objects.filter(pk=old.pk).update(content_type=GroupApprovalTask().content_type)

    migration.forwards(apps, None)
    migration.forwards(apps, None)

    task = GroupApprovalTask.objects.get(pk=old.pk).specific
    assert isinstance(task, EntityReviewTask)
    assert [group.name for group in task.groups.all()] == ["SRE · Aprobadores"]


def bulk_publish(user, *pages, include_descendants=False):
    client = client_for(user)
    ids = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return client, client.post(f"/admin/bulk/wagtailcore/page/publish/?{ids}&next=/admin/pages/", data)


@pytest.mark.parametrize("include_descendants", [False, True])
def test_bulk_publishing_refuses_the_authors_own_change_and_another_approver_publishes_it(
    imss, approver, other_approver, include_descendants
):
    page = make_content_page(home_of(imss), "Incapacidades por enfermedad", slug="incapacidades")
    other = make_content_page(home_of(imss), "Afiliación", slug="afiliacion")
    if include_descendants:  # a new page below it, saved as a draft: bulk publishing takes the unpublished ones
        form = content_form(FIXED, title="Requisitos", slug="requisitos")
        client_for(approver).post(f"/admin/pages/add/agency_sites/contentpage/{page.pk}/", form)
        draft = ContentPage.objects.get(slug="requisitos")
    else:  # a draft of a published page, not submitted
        client_for(approver).post(f"/admin/pages/{page.pk}/edit/", content_form(FIXED))
        draft = page
    assert last_editor_id(draft) == approver.pk

    client, response = bulk_publish(approver, page, other, include_descendants=include_descendants)
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    told = shown(client, response)
    assert OWN_CHANGE in told and f"«{draft.title}»" in told
    assert ContentPage.objects.get(pk=draft.pk).has_unpublished_changes

    bulk_publish(other_approver, page, other, include_descendants=include_descendants)
    assert not ContentPage.objects.get(pk=draft.pk).has_unpublished_changes
