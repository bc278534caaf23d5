"""The open-data page and the API documentation page, in a real browser: they load without errors under the site's
Content-Security-Policy (no inline script, nothing from a CDN), pass axe-core and the HTML validator, with and without
JavaScript."""

from __future__ import annotations

import pytest

from portal.participation.tests.factories import make_api_examples

from .checks import assert_accessible, assert_loads_cleanly, assert_references_exist, assert_valid_html, visit

PAGES = ["/datos/", "/api/v1/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_open_data_pages_are_accessible_and_valid(page, transactional_db, path):
    result = visit(page, path)
    assert_loads_cleanly(page, result)
    assert_accessible(page)
    assert_references_exist(page)
    assert_valid_html(result.html, name=path)


@pytest.mark.parametrize("path", PAGES)
def test_open_data_pages_work_without_javascript(page_no_js, transactional_db, path):
    result = visit(page_no_js, path)
    assert_loads_cleanly(page_no_js, result)
    assert_accessible(page_no_js)
    assert_references_exist(page_no_js)


def test_every_example_on_the_docs_page_answers_json(page_no_js, demo, live_server):
    make_api_examples(demo.passport.agency)
    visit(page_no_js, "/api/v1/docs")
    examples = page_no_js.locator("a.app-api-path").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert "/api/v1/tramites/SRE-02-001/" in examples
    for href in examples:
        response = page_no_js.request.get(live_server.url + href)
        assert response.status == 200, href
        assert response.headers["content-type"] == "application/json; charset=utf-8"
