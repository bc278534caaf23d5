"""Every demo form (found in ``portal/online_forms/demo_forms/``, so a form a future seed adds is walked too) is
completed in Chromium on a phone by someone who only uses what the page shows, with and without JavaScript, and ends
with a folio.

The person reads each page and answers what they see: radios and lists by choosing, dates in their three boxes, an
address in its five, documents through the file input and «Subir archivo», and text by what the label asks (a CURP, a
social-security number, a name...). Answers already filled in from the account are left as they are. When an answer
leads to an exit page ("you cannot apply online"), they go back and choose differently, as people do. When the page
answers with an error, they read the message and try again with another value for that question. Every page passes
axe-core, the Nu checker and the 375-px width check.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page
from stdnum.mx import curp as stdnum_curp

from portal.accounts.models import CurpConfirmationMethod, Profile
from portal.accounts.tests.factories import make_account
from portal.agencies.tests.factories import make_agency, make_municipality, make_office
from portal.applications.tests.factories import published_form
from portal.applications.tests.journey_data import png_bytes
from portal.geo.models import Settlement
from portal.online_forms.demo import demo_form_files, read_demo_form
from portal.online_forms.models import FormDefinition
from portal.services.tests.factories import make_service

from .checks import visit
from .person import check_page, main_text, open_phone, press, sign_in

pytestmark = pytest.mark.browser

FORMS = demo_form_files()
EMAIL = "gabriela@example.mx"
OWN_CURP = "HEGG560427MVZRRL04"
# Another person's CURP (a titular, a mother): valid, with its check digit computed, not the applicant's.
OTHER_CURP = "GORS800101MCMNZL0" + stdnum_curp.calc_check_digit("GORS800101MCMNZL0")
FOLIO = re.compile(r"\b(\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])\b")
MAX_STEPS = 40


def _text_for(label: str, element: Locator) -> list[str]:
    """What a person types in a text box with this label, most likely first (another try after an error)."""
    words = label.lower()
    kind = element.get_attribute("type") or "text"
    if "curp" in words:
        own = "nueva" in words or "su curp" in words or words.strip() == "curp"
        return [OWN_CURP, OTHER_CURP] if own else [OTHER_CURP, OWN_CURP]
    if "seguridad social" in words or "nss" in words:
        return ["12345678901"]
    if kind == "email" or "correo" in words:
        return ["gabriela@example.mx"]
    if kind == "tel" or "celular" in words or "teléfono" in words:
        return ["312 123 4567"]
    if (element.get_attribute("autocomplete") or "") == "postal-code" or "código postal" in words:
        return ["28000"]
    if "pasaporte" in words:
        return ["G12345678"]
    if (element.get_attribute("inputmode") or "") == "numeric" or "número" in words:
        return ["2", "1"]
    if "nombre" in words:
        return ["Gabriela Hernández García", "Escuela Secundaria Técnica 1"]
    if "matrícula" in words:
        return ["A1234567"]
    if element.evaluate("element => element.tagName") == "TEXTAREA":
        return ["Lo escribo con mis propias palabras para que lo revisen."]
    return ["Dato escrito por la persona"]


def _date_tries() -> list[datetime.date]:
    today = timezone.localdate()
    return [today - datetime.timedelta(days=10), today - datetime.timedelta(days=400), datetime.date(1990, 4, 27)]


@dataclass
class Person:
    """What the person remembers while filling in: which option they chose where, which try a field is on."""

    page: Page
    choice: dict[str, int] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    last_choice_key: list[str] = field(default_factory=list)

    def answer_page(self) -> None:
        form = self.page.locator("main form").first
        # Choices first: they reveal follow-up questions (with JavaScript) that are then answered too.
        for group in form.locator("fieldset").all():
            if group.is_visible() and group.locator(".govuk-radios").count():
                self._choose(group)
        for group in form.locator("fieldset").all():
            if not group.is_visible():
                continue
            legend = group.locator("legend").inner_text().strip()
            if group.locator(".govuk-date-input").count():
                self._date(group, legend)
            elif group.get_by_label("Calle", exact=True).count():
                self._address(group)
            elif group.locator("input[type=file]").count():
                self._upload(group)
            elif group.locator(".govuk-checkboxes__input").count():
                boxes = group.locator(".govuk-checkboxes__input")
                if not any(box.is_checked() for box in boxes.all()):
                    boxes.first.check()
        for select in form.locator("select").all():
            if select.is_visible():
                key = f"{self.page.url}|{select.get_attribute('id')}"
                options = [
                    value for value in select.locator("option").evaluate_all("o => o.map(x => x.value)") if value
                ]
                select.select_option(options[self.choice.get(key, 0) % len(options)])
                self.last_choice_key.append(key)
        for box in form.locator("input.govuk-input:not(.govuk-date-input__input), textarea").all():
            if not box.is_visible() or box.input_value().strip():
                continue
            if box.locator("xpath=ancestor::fieldset[.//label[normalize-space()='Calle']]").count():
                continue
            label = self._label_of(box)
            tries = _text_for(label, box)
            box.fill(tries[self.tries.get(box.get_attribute("id") or label, 0) % len(tries)])

    def _label_of(self, element: Locator) -> str:
        element_id = element.get_attribute("id")
        return self.page.locator(f"label[for='{element_id}']").inner_text().strip()

    def _choose(self, group: Locator) -> None:
        key = f"{self.page.url}|{group.locator('legend').inner_text().strip()}"
        options = group.locator(".govuk-radios__input").all()
        if any(option.is_checked() for option in options) and key not in self.choice:
            return
        options[self.choice.get(key, 0) % len(options)].check()
        if key not in self.last_choice_key:
            self.last_choice_key.append(key)

    def _date(self, group: Locator, legend: str) -> None:
        boxes = group.locator("input").all()
        if all(box.input_value().strip() for box in boxes):
            return
        date = _date_tries()[self.tries.get(legend, 0) % len(_date_tries())]
        for box, value in zip(boxes, (date.day, date.month, date.year), strict=True):
            box.fill(str(value))

    def _address(self, group: Locator) -> None:
        values = {
            "Calle": "Av. Rey Colimán",
            "Número exterior": "123",
            "Colonia o localidad": "Centro",
            "Código postal": "28000",
        }
        for label, value in values.items():
            box = group.get_by_label(label, exact=True)
            if not box.input_value().strip():
                box.fill(value)

    def _upload(self, group: Locator) -> None:
        if group.locator(".app-file-list").count():
            return  # a file is already attached
        group.locator("input[type=file]").set_input_files(
            {"name": "documento.png", "mimeType": "image/png", "buffer": png_bytes(60, 40)}
        )
        check_page(self.page, press(self.page, "Subir archivo", within=group))

    def read_errors_and_adjust(self) -> None:
        """After an error: try the next value for each field the error summary points at."""
        for link in self.page.locator(".govuk-error-summary a").all():
            target = (link.get_attribute("href") or "").lstrip("#")
            box = self.page.locator(f"[id='{target}']")
            legend = box.locator("xpath=ancestor::fieldset[1]/legend")
            key = legend.inner_text().strip() if legend.count() else target
            self.tries[key] = self.tries.get(key, 0) + 1
            self.tries[target] = self.tries.get(target, 0) + 1
            if box.count() and box.evaluate("element => element.tagName") != "SELECT":
                box.fill("") if box.get_attribute("type") not in ("radio", "checkbox", "file") else None

    def choose_differently(self) -> None:
        """Back from an exit page: change the last choice made before it."""
        assert self.last_choice_key, "an exit page was reached before any choice"
        key = self.last_choice_key[-1]
        self.choice[key] = self.choice.get(key, 0) + 1


def _world(path) -> dict:
    form = read_demo_form(path)
    acronym = form["service"].split("-")[0]
    Settlement.objects.get_or_create(
        postal_code="28000", name="Colima Centro", defaults={"municipality": make_municipality(), "kind": "Colonia"}
    )
    agency = make_agency(acronym)
    # The IMSS form offers the family clinics of the directory in the municipality of the postal code.
    make_office(agency, "Unidad de Medicina Familiar No. 1 Colima")
    service = make_service(agency, homoclave=form["service"], resolution_days=10)
    published_form(service, form["schema"])
    FormDefinition.objects.filter(service=service).update(required_assurance=form["required_assurance"])
    user = make_account(email=EMAIL, first_name="Gabriela", last_name="Hernández García")
    Profile.objects.filter(user=user).update(
        curp=OWN_CURP, curp_confirmed_at=timezone.now(), curp_confirmation_method=CurpConfirmationMethod.IN_PERSON
    )
    return form


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sin-js"])
@pytest.mark.parametrize("path", FORMS, ids=[path.stem for path in FORMS])
def test_each_demo_form_is_completed_by_a_person_on_a_phone(new_page, transactional_db, path, javascript) -> None:
    form = _world(path)
    page = open_phone(new_page, javascript=javascript)
    sign_in(page, EMAIL)
    check_page(page, visit(page, f"/tramites/{form['service']}/solicitar/"))
    check_page(page, press(page, "Comenzar ahora"))
    person = Person(page)
    walked = []
    for _step in range(MAX_STEPS):
        heading = page.get_by_role("heading", level=1).inner_text()
        walked.append(heading)
        if heading == "Revise sus respuestas antes de enviar":
            break
        if "/salida/" in page.url:
            person.choose_differently()
            page.locator(".govuk-back-link").click()
            page.wait_for_load_state()
            continue
        person.answer_page()
        result = press(page, "Guardar y continuar")
        if result.status == 400:
            check_page(page, result, status=400)
            person.read_errors_and_adjust()
            continue
        check_page(page, result)
    else:
        pytest.fail(f"{path.stem}: not done after {MAX_STEPS} steps; pages seen: {walked}")

    page.get_by_role("checkbox").check()
    result = press(page, "Aceptar y enviar")
    check_page(page, result)
    assert page.get_by_role("heading", level=1).inner_text() == "Solicitud enviada", main_text(page)
    assert FOLIO.search(main_text(page)), main_text(page)
