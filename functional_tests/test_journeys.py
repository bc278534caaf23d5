"""Journeys people make through the portal, in a real browser: by keyboard alone, without JavaScript, on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from .checks import assert_loads_cleanly, fit_problems, visit
from .data import PASSPORT_HOMOCLAVE, DemoCatalogue

PASSPORT = f"/tramites/{PASSPORT_HOMOCLAVE}/"
PHONE = {"width": 375, "height": 667}

_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const main = document.querySelector('main');
    const box = el.getBoundingClientRect();
    const href = el.getAttribute('href') || '';
    let target = null;
    if (href.startsWith('#') && href.length > 1) target = document.getElementById(href.slice(1));
    return {
        tag: el.tagName.toLowerCase(),
        href: href,
        text: (el.innerText || el.value || '').trim().slice(0, 80),
        inMain: !!main && (el === main || main.contains(el)),
        searchForm: !!(el.form && new URL(el.form.action, location.href).pathname.endsWith('/busqueda/')),
        visible: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
            && box.top < window.innerHeight && box.left < window.innerWidth,
        targetIsMain: !!target && (target === main || target.getAttribute('role') === 'main'),
    };
}"""


def _focused(page: Page) -> dict | None:
    return page.evaluate(_FOCUSED)


def _tab_until(page: Page, wanted, *, limit: int, what: str) -> dict:
    """Press Tab until the focused element is the one wanted; fail saying where focus went if it never is."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused and wanted(focused):
            return focused
        trail.append(f"<{focused['tag']}> {focused['text'] or focused['href']!r}" if focused else "(nothing)")
    raise AssertionError(f"{limit} presses of Tab never reached {what}; focus went through:\n  " + "\n  ".join(trail))


def test_keyboard_user_skips_to_content_and_finds_the_passport_by_search(page: Page, demo: DemoCatalogue) -> None:
    assert_loads_cleanly(page, visit(page, "/"))

    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip is not None, "Tab from the top of the home page focused nothing"
    assert skip["tag"] == "a" and skip["targetIsMain"], f"the first focusable element is not the skip link: {skip}"
    assert skip["visible"], "the skip link stays invisible when it has keyboard focus"
    page.keyboard.press("Enter")
    landed = _focused(page)
    assert landed is not None and landed["inMain"], f"the skip link did not move focus to the main content: {landed}"

    # A fresh start, as someone who arrives on the page. The home page puts its search box first in the content
    # instead of in the header (one search box, not two); on every other page it is the header's.
    visit(page, "/")
    _tab_until(page, lambda f: f["tag"] == "input" and f["searchForm"], limit=30, what="the search box")
    page.keyboard.type("pasaporte")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 200
    assert re.search(r"/busqueda/\?(.*&)?q=pasaporte", page.url), f"the search went to {page.url}"

    _tab_until(
        page,
        lambda f: f["tag"] == "a" and f["inMain"] and f["href"].endswith(PASSPORT),
        limit=60,
        what=f"a result linking to {PASSPORT}",
    )
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url.endswith(PASSPORT)
    assert demo.passport.title in page.locator("h1").inner_text()


def test_without_javascript_a_person_filters_the_catalogue_by_topic_and_opens_a_sheet(
    page_no_js: Page, demo: DemoCatalogue
) -> None:
    page = page_no_js
    assert_loads_cleanly(page, visit(page, "/tramites/"))

    filters = page.locator("form").filter(has=page.locator('select[name="tema"]'))
    assert filters.count() == 1, "the catalogue has no form with a topic filter"
    filters.get_by_label("Tema", exact=True).select_option(label=demo.topics["identidad"].name)
    submit = filters.locator('button:not([type]), button[type="submit"], input[type="submit"]')
    assert submit.count() >= 1, "the filter form has no submit button, so it cannot be used without JavaScript"
    with page.expect_navigation() as navigation:
        submit.first.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert "tema=identidad" in page.url, f"the filter was not applied: {page.url}"

    results = page.locator("main")
    assert results.locator(f'a[href$="{PASSPORT}"]').count() >= 1, "the passport is missing from the filtered list"
    assert results.locator('a[href$="/tramites/IMSS-02-008/"]').count() == 0, "a health service got through"

    with page.expect_navigation() as navigation:
        results.locator(f'a[href$="{PASSPORT}"]').first.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url.endswith(PASSPORT)
    assert demo.passport.title in page.locator("h1").inner_text()
    assert page.locator("h1").count() == 1


def test_phone_visitor_never_scrolls_sideways(new_page, demo: DemoCatalogue) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    problems = []
    for path in ["/", "/tramites/", PASSPORT]:
        assert visit(page, path).status == 200, path
        problems += [f"{path}: {problem}" for problem in fit_problems(page)]
    assert not problems, "horizontal scrolling on a 375×667 phone:\n  " + "\n  ".join(problems)
