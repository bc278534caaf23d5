"""Every public page type in a real browser: it loads with the right status and exactly one h1, axe-core finds no
WCAG 2.2 A/AA violation, and the Nu HTML Checker finds no error in the HTML the server sent.

To put a new page under these checks, add a ``PageCase`` to ``PAGES`` (see docs/testing.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from .checks import Findings, assert_accessible, assert_valid_html, load_problems, reference_problems, visit
from .data import PASSPORT_HOMOCLAVE

PASSPORT = f"/tramites/{PASSPORT_HOMOCLAVE}/"


def _mentions(*texts: str) -> Callable[[Page], list[str]]:
    """The main content shows each text: the page is the one we meant, not an empty shell."""

    def check(page: Page) -> list[str]:
        main = page.locator("main")
        if main.count() != 1:
            return [f"{main.count()} <main> elements, expected exactly one"]
        content = main.inner_text()
        return [f"the main content does not mention {text!r}" for text in texts if text not in content]

    return check


def _links_to(path: str) -> Callable[[Page], list[str]]:
    def check(page: Page) -> list[str]:
        if page.locator(f'main a[href$="{path}"]').count() == 0:
            return [f"no link to {path} in the main content"]
        return []

    return check


def _error_summary(message: str) -> Callable[[Page], list[str]]:
    """GOV.UK's error summary: announced as an alert, says what is wrong, and each error links to its field."""

    def check(page: Page) -> list[str]:
        summary = page.locator(".govuk-error-summary")
        if summary.count() != 1:
            return [f"{summary.count()} error summaries (.govuk-error-summary), expected one"]
        problems = []
        if summary.locator('[role="alert"]').count() == 0 and summary.get_attribute("role") != "alert":
            problems.append("the error summary is not announced (no role=alert)")
        if message not in summary.inner_text():
            problems.append(f"the error summary does not say {message!r}")
        links = summary.locator('a[href^="#"]')
        if links.count() == 0:
            problems.append("the error summary has no link to the field in error")
        for href in [links.nth(i).get_attribute("href") or "" for i in range(links.count())]:
            if page.locator(f'[id="{href[1:]}"]').count() != 1:
                problems.append(f"the error summary links to {href}, which is not an element of the page")
        return problems

    return check


@dataclass(frozen=True)
class PageCase:
    name: str
    path: str
    status: int = 200
    # Fixture that builds the data the page shows: "demo", "demo_two_pages", or "" for none.
    data: str = "demo"
    lang: str = "es"
    one_h1: bool = True
    validate_html: bool = True
    expect: Callable[[Page], list[str]] | None = None

    def __str__(self) -> str:
        return self.name


PAGES = [
    PageCase("home", "/"),
    PageCase("catalogue", "/tramites/", expect=_links_to(PASSPORT)),
    PageCase(
        "catalogue_filtered_by_topic",
        "/tramites/?tema=identidad",
        expect=_mentions("Pasaporte mexicano ordinario para personas mayores de edad"),
    ),
    PageCase(
        "catalogue_page_2",
        "/tramites/?pagina=2",
        data="demo_two_pages",
        # The least requested service comes last in the catalogue's order, so on page 2 of 25.
        expect=_mentions("Constancia de residencia"),
    ),
    PageCase(
        "catalogue_with_an_unknown_topic",
        "/tramites/?tema=no-existe",
        status=400,
        expect=_error_summary("No existe ese tema"),
    ),
    PageCase(
        "service_sheet",
        PASSPORT,
        expect=_mentions("Pasaporte mexicano ordinario para personas mayores de edad", "1,730.00", "Colima"),
    ),
    PageCase(
        "service_sheet_print",
        f"{PASSPORT}imprimir/",
        expect=_mentions("Pasaporte mexicano ordinario para personas mayores de edad", "Acta de nacimiento"),
    ),
    PageCase("unknown_homoclave", "/tramites/SRE-02-999/", status=404, expect=_mentions("SRE-02-999")),
    PageCase("malformed_homoclave", "/tramites/IMSS-2-8/", status=404, data=""),
    PageCase("unknown_page", "/pagina-que-no-existe/", status=404, data=""),
    PageCase("government_directory", "/gobierno/", expect=_mentions("Instituto Mexicano del Seguro Social")),
    PageCase(
        "government_directory_municipal",
        "/gobierno/?orden=municipal",
        expect=_mentions("Ayuntamiento de Colima"),
    ),
    PageCase(
        "agency",
        "/sre/",
        expect=_mentions("Secretaría de Relaciones Exteriores", "Oficina de Pasaportes en Colima"),
    ),
    PageCase("accessibility_statement", "/accesibilidad/", data=""),
    PageCase("privacy_notice", "/privacidad/", data=""),
    PageCase("terms_of_use", "/terminos/", data=""),
    PageCase(
        "non_working_days",
        "/dias-inhabiles/",
        data="",
        expect=_mentions("Días inhábiles de", "Ley Federal del Trabajo, art. 74"),
    ),
    PageCase("english_home", "/en/", lang="en"),
    PageCase("search_results", "/busqueda/?q=pasaporte", expect=_links_to(PASSPORT)),
    PageCase("search_without_a_query", "/busqueda/", data=""),
    PageCase(
        "search_news_of_the_entities",
        "/busqueda/?q=vacunación&tipo=noticias",
        data="demo_sites",
        expect=_mentions("Campaña de vacunación de invierno", "Instituto Mexicano del Seguro Social"),
    ),
    PageCase("open_data", "/datos/"),
    # The API reference: a server-rendered page built from the OpenAPI document (portal/api/docs.py), so it gets the
    # same checks as every other page rather than the exemptions a third-party Swagger UI would need.
    PageCase("api_docs", "/api/v1/docs", data="", expect=_mentions("/api/v1/")),
]

# The pages of the core journeys, also audited as they render with JavaScript off.
PAGES_WITHOUT_JAVASCRIPT = [
    case for case in PAGES if case.name in {"home", "catalogue_filtered_by_topic", "service_sheet", "search_results"}
]


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_page_loads_cleanly_is_accessible_and_has_valid_html(case: PageCase, page: Page, request) -> None:
    if case.data:
        request.getfixturevalue(case.data)
    result = visit(page, case.path)
    findings = Findings(f"{case.path} ({case.name})")
    findings.add("loading", load_problems(page, result, status=case.status, lang=case.lang, one_h1=case.one_h1))
    if case.expect:
        findings.add("content", case.expect(page))
    findings.add("ids named by aria-describedby, aria-labelledby and label[for]", reference_problems(page))
    findings.check("axe-core", lambda: assert_accessible(page))
    if case.validate_html:
        findings.check("Nu HTML Checker", lambda: assert_valid_html(result.html, name=case.path))
    findings.verify()


@pytest.mark.parametrize("case", PAGES_WITHOUT_JAVASCRIPT, ids=str)
def test_page_without_javascript_loads_cleanly_and_is_accessible(case: PageCase, page_no_js: Page, request) -> None:
    if case.data:
        request.getfixturevalue(case.data)
    result = visit(page_no_js, case.path)
    findings = Findings(f"{case.path} ({case.name}) without JavaScript")
    findings.add("loading", load_problems(page_no_js, result, status=case.status, lang=case.lang))
    if case.expect:
        findings.add("content", case.expect(page_no_js))
    findings.check("axe-core", lambda: assert_accessible(page_no_js))
    findings.verify()
