"""The harness's own checks catch what they exist to catch; a check that cannot fail would prove nothing.

These pages are served by Playwright's request interception, not by Django, so they need no database.
"""

from __future__ import annotations

import pytest

from .checks import PAGES_WITHOUT_JAVASCRIPT, HtmlValidator, assert_accessible, assert_valid_html, missing_tool, visit

ORIGIN = "http://checks.test"
STRICT_CSP = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'"
GOOD_PAGE = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>Prueba</title></head>
<body><main><h1>Prueba</h1><p>Una página correcta.</p><img src="data:," alt="Escudo nacional"></main></body></html>"""

FIXED_BY_SCRIPT = GOOD_PAGE.replace(' alt="Escudo nacional"', "").replace(
    "</body>", '<script src="/arregla.js"></script></body>'
)
FIXING_SCRIPT = {"/arregla.js": "document.querySelector('img').alt = 'Escudo nacional';"}


@pytest.fixture
def bare_page(browser):
    context = browser.new_context(base_url=ORIGIN)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def bare_page_no_js(browser):
    context = browser.new_context(base_url=ORIGIN, java_script_enabled=False)
    page = context.new_page()
    PAGES_WITHOUT_JAVASCRIPT.add(page)
    yield page
    context.close()


def _serve(page, body: str, *, scripts: dict[str, str] | None = None) -> None:
    scripts = scripts or {}

    def handle(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path in ("", "/"):
            headers = {"Content-Security-Policy": STRICT_CSP}
            route.fulfill(body=body, content_type="text/html; charset=utf-8", headers=headers)
        elif path in scripts:
            route.fulfill(body=scripts[path], content_type="text/javascript")
        else:
            route.fulfill(status=404, body="", content_type="text/plain")

    page.route("**/*", handle)


def test_html_checker_accepts_a_valid_document():
    assert_valid_html(GOOD_PAGE)


def test_html_checker_reports_each_error_with_its_line():
    broken = GOOD_PAGE.replace("<p>Una página correcta.</p>", "<p>Sin cerrar <div></p>\n<span id=a id=b>")
    with pytest.raises(AssertionError) as failure:
        assert_valid_html(broken, name="broken.html")
    report = str(failure.value)
    assert report.startswith("broken.html:")
    assert "Duplicate attribute" in report
    assert "line 3" in report


def test_axe_accepts_an_accessible_page(bare_page):
    _serve(bare_page, GOOD_PAGE)
    visit(bare_page, "/")
    assert_accessible(bare_page)


def test_axe_reports_an_image_without_text_alternative_and_a_page_without_language(bare_page):
    _serve(bare_page, GOOD_PAGE.replace(' alt="Escudo nacional"', "").replace(' lang="es"', ""))
    visit(bare_page, "/")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(bare_page)
    report = str(failure.value)
    assert "image-alt" in report
    assert "html-has-lang" in report
    assert "at img" in report


def test_axe_audits_a_page_with_javascript_off_as_it_rendered(bare_page_no_js):
    # The script fixes the page when it runs (see the next test); without JavaScript the audit must still fail.
    _serve(bare_page_no_js, FIXED_BY_SCRIPT, scripts=FIXING_SCRIPT)
    visit(bare_page_no_js, "/")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(bare_page_no_js)


def test_axe_audits_a_page_with_javascript_on_after_its_scripts_ran(bare_page):
    _serve(bare_page, FIXED_BY_SCRIPT, scripts=FIXING_SCRIPT)
    visit(bare_page, "/")
    assert_accessible(bare_page)


def test_visit_reports_csp_violations_and_missing_resources(bare_page):
    page = GOOD_PAGE.replace(
        "</head>", '<link rel="stylesheet" href="/static/falta.css"><script>document.title = "x"</script></head>'
    )
    _serve(bare_page, page)
    result = visit(bare_page, "/")
    assert result.status == 200
    assert any("Content Security Policy" in error for error in result.console_errors), result.console_errors
    assert any(failure.startswith("404 ") and "falta.css" in failure for failure in result.failed_resources)


def test_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing_tool("no hay Java")


def test_missing_tool_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no hay Java"):
        missing_tool("no hay Java")


def test_html_checker_without_its_jar_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing.jar"):
        HtmlValidator(jar=tmp_path / "missing.jar").errors(GOOD_PAGE)


def test_html_checker_without_its_jar_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="missing.jar"):
        HtmlValidator(jar=tmp_path / "missing.jar").errors(GOOD_PAGE)
