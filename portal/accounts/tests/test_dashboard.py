"""«Mi expediente» is filled by the apps that have something to show: the registry of dashboard contributors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.accounts import dashboard
from portal.accounts.dashboard import DashboardGroup, DashboardItem, DashboardSection
from portal.accounts.tests.factories import make_account

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ACCOUNTS_DIR = Path(dashboard.__file__).resolve().parent


@pytest.fixture
def registered():
    names: list[str] = []

    def add(name, contributor):
        dashboard.register(name, contributor)
        names.append(name)

    yield add
    for name in names:
        dashboard.unregister(name)


def test_the_apps_register_their_sections_at_start_up():
    assert {"applications", "documents"} <= set(dashboard.contributors())


def test_sections_of_the_same_key_are_merged_and_sorted_by_order(registered):
    item = DashboardItem("Algo")
    registered(
        "zz-second",
        lambda user: [DashboardSection("prueba-a", "A", order=900, groups=[DashboardGroup("Dos", [item])])],
    )
    registered(
        "zz-first",
        lambda user: [
            DashboardSection("prueba-a", "A primero", order=901, groups=[DashboardGroup("Uno", [item])]),
            DashboardSection("prueba-b", "B", order=899, groups=[DashboardGroup("Tres", [item])]),
        ],
    )
    sections = [
        section for section in dashboard.sections_for(make_account(email="a@example.mx")) if section.order > 800
    ]
    assert [section.key for section in sections] == ["prueba-b", "prueba-a"]
    merged = sections[1]
    assert merged.title == "A primero"  # the contributor whose name sorts first gives the title and order
    assert [group.heading for group in merged.groups] == ["Uno", "Dos"]


def test_a_section_with_nothing_to_show_and_nothing_to_say_is_left_out(registered):
    registered("zz-empty", lambda user: [DashboardSection("prueba-vacia", "Vacía", groups=[DashboardGroup("G")])])
    registered("zz-says", lambda user: [DashboardSection("prueba-dice", "Dice", empty_text="Aún no tiene nada.")])
    keys = {section.key for section in dashboard.sections_for(make_account(email="b@example.mx"))}
    assert "prueba-vacia" not in keys
    assert "prueba-dice" in keys


def test_another_contributor_under_a_taken_name_is_refused(registered):
    registered("zz-taken", lambda user: [])
    with pytest.raises(ValueError):
        dashboard.register("zz-taken", lambda user: [])


def test_attention_items_come_from_every_section():
    waiting = DashboardItem("Responder")
    sections = [
        DashboardSection("a", "A", groups=[DashboardGroup("Atención", [waiting], attention=True)]),
        DashboardSection("b", "B", groups=[DashboardGroup("Otro", [DashboardItem("No")])]),
    ]
    assert dashboard.attention_items(sections) == [waiting]


def test_the_home_page_makes_no_claims_about_domains_the_portal_does_not_have(client, citizen):
    assert sign_in(client, citizen.email).status_code == 302
    body = client.get("/mi-expediente/").content.decode()
    assert "Aún no tiene pagos" not in body and 'id="pagos"' not in body
    # The domains that exist say plainly that there is nothing yet (petitions since issue 11's first increment).
    assert 'id="peticiones"' in body and "Aún no ha escrito peticiones a las instituciones." in body
    assert 'id="solicitudes"' in body and "Aún no ha iniciado ni enviado solicitudes en línea." in body
    assert 'id="documentos"' in body
    # Appointments since issue 13's booking pages.
    assert 'id="citas"' in body and "No tiene citas próximas." in body


def test_the_accounts_app_imports_neither_applications_nor_documents():
    offenders = []
    for path in ACCOUNTS_DIR.rglob("*.py"):
        if "tests" in path.relative_to(ACCOUNTS_DIR).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}" for name in names if name.startswith(("portal.applications", "portal.documents"))
            ]
    assert offenders == []
