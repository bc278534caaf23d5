"""The «Formularios en línea» admin: who sees, edits and publishes which service's form (guessed URLs included)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from portal.accounts.tests.factories import make_account
from portal.agencies.actions import do_grant_role
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.online_forms.models import FormDefinition
from portal.online_forms.tests.factories import simple_schema
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = make_agency("PROPIA"), make_agency("AJENA")
    service, foreign = make_service(own), make_service(other)
    people = {}
    for name, role in (("editor", Role.EDITOR), ("approver", Role.APPROVER), ("clerk", Role.CASE_WORKER)):
        user = make_account(email=f"{name}@example.com")
        do_grant_role(user, own, role)
        people[name] = user
    people["citizen"] = make_account(email="persona@example.com")
    return {"service": service, "foreign": foreign, "agency": own, **people}


def url(name, service, *args):
    return reverse(f"applications_forms:{name}", args=[service.pk, *args])


# A citizen gets the page that says the admin is for staff (403), not the sign-in loop it once was.
@pytest.mark.parametrize(("who", "status"), [("editor", 200), ("approver", 200), ("clerk", 404), ("citizen", 403)])
def test_edit_page_permission_matrix(client, world, who, status):
    client.force_login(world[who])
    response = client.get(url("edit", world["service"]))
    assert response.status_code == status


@pytest.mark.parametrize("name", ["edit", "edit_json", "versions", "settings", "preview"])
def test_another_agencys_service_is_not_found(client, world, name):
    client.force_login(world["editor"])
    assert client.get(url(name, world["foreign"])).status_code == 404
    assert client.get(reverse(f"applications_forms:{name}", args=[999999])).status_code == 404


def test_index_lists_only_own_services(client, world):
    client.force_login(world["editor"])
    response = client.get(reverse("applications_forms:index"))
    assert response.status_code == 200
    assert world["service"].title in response.content.decode()
    assert world["foreign"].title not in response.content.decode()


def test_saving_broken_json_keeps_nothing_and_says_why(client, world):
    client.force_login(world["editor"])
    response = client.post(url("edit_json", world["service"]), {"schema": "{ no es json", "note": ""})
    assert response.status_code == 400
    assert "No es JSON válido" in response.content.decode()


def test_save_records_a_version_and_shows_problems(client, world):
    client.force_login(world["editor"])
    schema = simple_schema()
    schema["pages"].pop()  # no declaration
    response = client.post(
        url("edit_json", world["service"]), {"schema": json.dumps(schema), "note": "sin declaración"}
    )
    assert response.status_code == 302
    definition = FormDefinition.objects.get(service=world["service"])
    version = definition.versions.get()
    assert version.created_by == world["editor"] and version.note == "sin declaración" and version.published_at is None
    page = client.get(url("edit", world["service"])).content.decode()
    assert "exactamente una pregunta de tipo «declaration»" in page


def test_editor_cannot_publish_when_the_agency_has_an_approver(client, world):
    client.force_login(world["editor"])
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(simple_schema()), "note": ""})
    client.post(url("publish", world["service"]))
    assert FormDefinition.objects.get(service=world["service"]).live_version is None


def test_approver_publishes_and_is_recorded(client, world):
    client.force_login(world["editor"])
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(simple_schema()), "note": ""})
    client.force_login(world["approver"])
    response = client.post(url("publish", world["service"]))
    assert response.status_code == 302
    definition = FormDefinition.objects.get(service=world["service"])
    assert definition.live_version.number == 1 and definition.live_version.published_by == world["approver"]


def test_publishing_a_broken_definition_is_refused(client, world):
    client.force_login(world["approver"])
    schema = simple_schema()
    schema["pages"][1]["next"][0]["goto"] = "datos"
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(schema), "note": ""})
    client.post(url("publish", world["service"]))
    assert FormDefinition.objects.get(service=world["service"]).live_version is None


def test_editor_publishes_when_the_agency_has_no_approver(client):
    agency = make_agency("SOLA")
    service = make_service(agency)
    editor = make_account(email="sola@example.com")
    do_grant_role(editor, agency, Role.EDITOR)
    client.force_login(editor)
    client.post(url("edit_json", service), {"schema": json.dumps(simple_schema()), "note": ""})
    client.post(url("publish", service))
    assert FormDefinition.objects.get(service=service).live_version.published_by == editor


def test_versions_compare_and_restore(client, world):
    client.force_login(world["editor"])
    first = simple_schema()
    second = simple_schema()
    second["pages"][0]["title"] = "Datos de la persona"
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(first), "note": "uno"})
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(second), "note": "dos"})
    page = client.get(url("versions", world["service"]), {"de": 1, "a": 2}).content.decode()
    assert "Datos de la persona" in page and "<ins>" in page
    client.post(url("restore", world["service"], 1))
    definition = FormDefinition.objects.get(service=world["service"])
    assert definition.working_schema == first and definition.versions.count() == 3


def test_settings_are_saved(client, world):
    client.force_login(world["approver"])
    response = client.post(
        url("settings", world["service"]),
        {"required_assurance": "verified", "accepting": "", "draft_retention_days": "15"},
    )
    assert response.status_code == 302
    definition = FormDefinition.objects.get(service=world["service"])
    assert (definition.required_assurance, definition.accepting, definition.draft_retention_days) == (
        "verified",
        False,
        15,
    )
    bad = client.post(
        url("settings", world["service"]), {"required_assurance": "verified", "draft_retention_days": "0"}
    )
    assert bad.status_code == 400


def test_preview_renders_the_pages(client, world):
    client.force_login(world["editor"])
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(simple_schema()), "note": ""})
    page = client.get(url("preview", world["service"])).content.decode()
    assert "¿Vive actualmente en México?" in page and "No puede hacer este trámite en línea" in page


def test_publishing_closing_and_reopening_the_form_show_at_once_on_the_cached_sheet(
    client, world, django_capture_on_commit_callbacks
):
    from django.test import Client

    anonymous = Client()
    sheet = reverse("services:detail", args=[world["service"].homoclave])
    start = reverse("applications_apply:start", args=[world["service"].homoclave])
    assert start not in anonymous.get(sheet).content.decode()  # now cached without the button
    client.force_login(world["approver"])
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(simple_schema()), "note": ""})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("publish", world["service"]))
    assert start in anonymous.get(sheet).content.decode()

    settings_form = {"required_assurance": "basic", "draft_retention_days": "30"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("settings", world["service"]), {**settings_form, "accepting": ""})
    assert start not in anonymous.get(sheet).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("settings", world["service"]), {**settings_form, "accepting": "on"})
    assert start in anonymous.get(sheet).content.decode()


def test_saving_a_version_without_publishing_leaves_the_cached_sheet_alone(client, world):
    from portal.core.cache import current_generation

    client.force_login(world["editor"])
    generation = current_generation()
    client.post(url("edit_json", world["service"]), {"schema": json.dumps(simple_schema()), "note": ""})
    assert current_generation() == generation
