"""Entities' sites in a real browser: every page type passes axe and the Nu checker, on a desktop and on a 375-px
phone without JavaScript, and a person finds an entity, reads what it does and its news, and filters the press room.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .checks import (
    Findings,
    assert_accessible,
    assert_fits,
    assert_valid_html,
    load_problems,
    reference_problems,
    visit,
    weight_problems,
)
from .person import check_page, follow, main_text, open_phone, press

SITE_PAGES = [
    ("home", "/imss/", "es", "Subdelegación Colima"),
    ("about", "/imss/que-hacemos/", "es", "Ley del Seguro Social"),
    ("content", "/imss/incapacidades-por-enfermedad/", "es", "Subsidio por enfermedad general"),
    ("press_room", "/imss/prensa/", "es", "Campaña de vacunación de invierno"),
    ("news", "/imss/prensa/campana-de-vacunacion-de-invierno/", "es", "Del 1 de diciembre al 31 de enero"),
    ("programme", "/imss/guarderias/", "es", "$1,234,567,890.00"),
    ("documents", "/imss/documentos/", "es", "Informe al Ejecutivo Federal 2025-2026"),
    ("contact", "/imss/contacto/", "es", "Subdelegación Colima"),
    ("press", "/prensa/", "es", "Pasaportes también en domingo"),
    ("content_english", "/en/imss/incapacidades-por-enfermedad/", "en", "Subsidio por enfermedad general"),
]


# The last two are lists shown elsewhere on a phone already (/prensa/ in the press-room test) or the same page in
# English: checked on a desktop only.
PHONE_PAGES = {case[0] for case in SITE_PAGES[:8]}


@pytest.mark.parametrize(("name", "path", "lang", "text"), SITE_PAGES, ids=[case[0] for case in SITE_PAGES])
def test_site_page_is_accessible_valid_and_fits_a_phone_without_javascript(
    name, path, lang, text, new_page, demo_sites
) -> None:
    """One test per page, two people: a desktop with JavaScript (axe, Nu checker) and a 375-px phone without it
    (loads, fits, axe). One test rather than two saves restoring the demo's database a second time per page."""
    page: Page = new_page()
    result = visit(page, path)
    findings = Findings(f"{path} ({name})")
    findings.add("loading", load_problems(page, result, lang=lang))
    findings.add("content", [] if text in main_text(page) else [f"the page does not show {text!r}"])
    findings.add("ids named by aria-describedby, aria-labelledby and label[for]", reference_problems(page))
    findings.add("first-load budget (100 KB)", weight_problems(result))
    findings.check("axe-core", lambda: assert_accessible(page))
    findings.check("Nu HTML Checker", lambda: assert_valid_html(result.html, name=path))
    if name in PHONE_PAGES:
        phone = open_phone(new_page, javascript=False)
        on_phone = visit(phone, path)
        findings.add("loading on a phone without JavaScript", load_problems(phone, on_phone, lang=lang))
        findings.check("fits 375 px without JavaScript", lambda: assert_fits(phone))
        findings.check("axe-core on a phone without JavaScript", lambda: assert_accessible(phone))
    findings.verify()


def test_without_javascript_the_accordion_and_details_can_be_read(new_page, demo_sites) -> None:
    phone = open_phone(new_page, javascript=False)
    visit(phone, "/imss/incapacidades-por-enfermedad/")
    assert phone.get_by_text("Tu CURP y tu NSS.").is_visible()
    assert phone.get_by_text("Por transferencia a tu cuenta.").is_visible()
    phone.get_by_text("¿Y si trabajo por mi cuenta?").click()
    assert phone.get_by_text("Necesitas estar inscrito voluntariamente.").is_visible()


def test_a_person_finds_an_entity_reads_what_it_does_and_its_news(new_page, demo_sites) -> None:
    phone = open_phone(new_page, javascript=False)
    directory = visit(phone, "/gobierno/")
    check_page(phone, directory)

    home = follow(phone, phone.get_by_role("link", name="Instituto Mexicano del Seguro Social"))
    assert home.path.endswith("/imss/")
    check_page(phone, home)
    sections = phone.get_by_role("navigation", name="Secciones de Instituto Mexicano del Seguro Social")
    about = follow(phone, sections.get_by_role("link", name="¿Qué hacemos?"))
    check_page(phone, about)
    assert "Atención médica en clínicas y hospitales." in main_text(phone)
    assert phone.get_by_role("link", name="¿Qué hacemos?").first.get_attribute("aria-current") == "page"

    follow(
        phone,
        phone.get_by_role("navigation", name="Ruta de navegación").get_by_role(
            "link", name="Instituto Mexicano del Seguro Social"
        ),
    )
    news = follow(phone, phone.get_by_role("link", name="Campaña de vacunación de invierno"))
    check_page(phone, news)
    picture = phone.get_by_role("img", name="Una enfermera aplica una vacuna a un señor mayor en una clínica")
    assert picture.is_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), "the news image did not load"

    press_room = follow(phone, phone.get_by_role("link", name="Salud"))
    assert "/prensa/?tema=salud" in press_room.path
    check_page(phone, press_room)
    assert "Campaña de vacunación de invierno" in main_text(phone)
    assert "Pasaportes también en domingo" not in main_text(phone)


def test_the_press_room_explains_a_wrong_date_and_then_filters(new_page, demo_sites) -> None:
    phone = open_phone(new_page, javascript=False)
    visit(phone, "/prensa/")
    phone.get_by_label("Desde").fill("ayer")
    wrong = press(phone, "Aplicar filtros")
    check_page(phone, wrong, status=400)
    summary = phone.locator(".govuk-error-summary")
    assert "Escriba la fecha inicial como día/mes/año" in summary.inner_text()

    phone.get_by_label("Desde").fill("1/11/2026")
    phone.get_by_label("Institución").select_option(label="Instituto Mexicano del Seguro Social")
    right = press(phone, "Aplicar filtros")
    check_page(phone, right)
    text = main_text(phone)
    assert "1 noticia o comunicado" in text and "Campaña de vacunación de invierno" in text
