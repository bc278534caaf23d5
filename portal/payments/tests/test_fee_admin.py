"""«Cobros» in the Wagtail admin: who keeps which entity's fees, what each form refuses and says, and that every
change is recorded (who, when, from, to)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from portal.accounts.tests.factories import make_account
from portal.agencies import actions as agency_actions
from portal.agencies.models import Role
from portal.agencies.tests.factories import make_agency
from portal.payments import actions, fee_admin, fees, ledger
from portal.payments.models import AgencyPaymentAccount, Exemption, ExemptionRule, Fee, Moment, PaymentSetting
from portal.services.tests.factories import make_service
from testing.clients import client_for

from .factories import make_fee, make_passport_with_form, make_payable_service, make_payment_account

pytestmark = pytest.mark.django_db

BASE = "/admin/cobros/"


def staff(email: str, agency, role: str):
    user = make_account(email=email)
    agency_actions.do_grant_role(user, agency, role)
    return user


@pytest.fixture
def sre():
    return make_agency("SRE", name="Secretaría de Relaciones Exteriores")


@pytest.fixture
def imss():
    return make_agency("IMSS", name="Instituto Mexicano del Seguro Social")


@pytest.fixture
def passport(sre):
    return make_passport_with_form(sre)


@pytest.fixture
def sre_admin(sre):
    return staff("admin@sre.gob.mx", sre, Role.ENTITY_ADMIN)


@pytest.fixture
def imss_service(imss):
    service, _fee = make_payable_service(imss, concept="Constancia", amount=5_000)
    return service


def superuser(email: str = "root@portal.gob.mx"):
    user = make_account(email=email)
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


def current(service, key: str) -> Fee:
    return next(fee for fee in fee_admin.current_fees(service.pk) if fee.key == key)


def last_log(instance) -> ModelLogEntry:
    return ModelLogEntry.objects.filter(
        content_type__model=instance._meta.model_name, object_id=str(instance.pk)
    ).latest("timestamp", "pk")


# --- Who -------------------------------------------------------------------------------------------------------------


def test_an_entity_administrator_sees_the_charged_services_with_amounts_moment_and_exemptions(passport, sre_admin):
    response = client_for(sre_admin).get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    assert passport.title in html
    assert "Pasaporte de 3 años: $1,500.00" in html and "Pasaporte de 6 años: $2,000.00" in html
    assert "$1,800.00" not in html  # the older version is not in force
    assert "Antes de presentar la solicitud" in html
    assert "<td>1</td>" in html  # one active exemption


def test_finance_staff_keep_their_entitys_fees_too(passport, sre):
    finance = staff("finanzas@sre.gob.mx", sre, Role.FINANCE)
    client = client_for(finance)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}tramites/{passport.pk}/").status_code == 200


def assert_forbidden(client, url: str) -> None:
    """Wagtail answers a ``PermissionDenied`` with a redirect to the dashboard and its «no permission» message, and
    with a 403 to a script."""
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.EDITOR, Role.OPERATIONS])
def test_other_staff_are_refused(passport, sre, role):
    user = staff(f"{role}@sre.gob.mx", sre, role)
    client = client_for(user)
    assert_forbidden(client, BASE)
    assert_forbidden(client, f"{BASE}tramites/{passport.pk}/")
    assert_forbidden(client, f"{BASE}instituciones/{sre.pk}/cuenta/")
    assert 'href="/admin/cobros/"' not in client.get("/admin/").content.decode()


def test_a_citizen_never_reaches_the_admin(passport, client):
    client.force_login(make_account(email="persona@example.com"))
    assert client.get(BASE).status_code == 403


def _other_entity_urls(passport, sre) -> list[str]:
    fee = current(passport, "pasaporte-de-3-anos")
    exemption = Exemption.objects.get(service=passport)
    service = f"{BASE}tramites/{passport.pk}/"
    return [
        service,
        f"{service}derechos/{fee.pk}/",
        f"{service}cobro/",
        f"{service}cobro/quitar/",
        f"{service}exenciones/nueva/",
        f"{service}exenciones/{exemption.pk}/",
        f"{BASE}instituciones/{sre.pk}/cuenta/",
    ]


def test_another_entitys_service_fee_exemption_and_account_are_not_found(passport, sre, imss_service, imss):
    client = client_for(staff("admin@imss.gob.mx", imss, Role.ENTITY_ADMIN))
    for url in _other_entity_urls(passport, sre):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"legal_basis": "x", "moment": Moment.AFTER_APPROVAL}).status_code == 404, url
    exemption = Exemption.objects.get(service=passport)
    assert client.post(f"{BASE}tramites/{passport.pk}/exenciones/{exemption.pk}/vigencia/").status_code == 404
    # Through one's own service, another service's fee or exemption is not found either.
    own = f"{BASE}tramites/{imss_service.pk}/"
    assert client.get(f"{own}derechos/{current(passport, 'pasaporte-de-3-anos').pk}/").status_code == 404
    assert client.post(f"{own}exenciones/{exemption.pk}/vigencia/", {"active": "0"}).status_code == 404
    html = client.get(BASE).content.decode()
    assert passport.title not in html and imss_service.title in html
    assert PaymentSetting.objects.filter(service=passport).exists()
    assert Exemption.objects.get(pk=exemption.pk).active


def test_a_service_that_charges_nothing_is_not_found(sre, sre_admin):
    uncharged = make_service(sre)
    assert client_for(sre_admin).get(f"{BASE}tramites/{uncharged.pk}/").status_code == 404


def test_superusers_keep_every_entitys_fees(passport, imss_service):
    html = client_for(superuser()).get(BASE).content.decode()
    assert passport.title in html and imss_service.title in html


# --- Fees ------------------------------------------------------------------------------------------------------------


def test_the_service_page_lists_every_version_and_offers_to_complete_only_current_ones(passport, sre_admin):
    html = client_for(sre_admin).get(f"{BASE}tramites/{passport.pk}/").content.decode()
    assert "$1,800.00" in html and "Anterior" in html and "$2,000.00" in html
    old = Fee.objects.get(service=passport, key="pasaporte-de-6-anos", valid_from=dt.date(2019, 1, 1))
    assert f"derechos/{old.pk}/" not in html
    assert f"derechos/{current(passport, 'pasaporte-de-6-anos').pk}/" in html


def test_the_fee_form_offers_the_live_forms_choice_and_number_questions(passport, sre_admin):
    html = client_for(sre_admin).get(
        f"{BASE}tramites/{passport.pk}/derechos/{current(passport, 'pasaporte-de-6-anos').pk}/"
    )
    text = html.content.decode()
    assert 'value="vigencia=6"' in text and 'optgroup label="Vigencia"' in text
    assert 'value="copias"' in text
    assert 'value="nombre"' not in text and "discapacidad=" not in text


def test_completing_a_fee_sets_its_article_option_and_quantity_and_records_the_change(passport, sre_admin):
    fee = current(passport, "pasaporte-de-6-anos")
    response = client_for(sre_admin).post(
        f"{BASE}tramites/{passport.pk}/derechos/{fee.pk}/",
        {
            "legal_basis": "Ley Federal de Derechos, artículo 20, fracción II",
            "option": "vigencia=6",
            "quantity_question": "copias",
        },
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.legal_basis == "Ley Federal de Derechos, artículo 20, fracción II"
    assert fee.option == {"question": "vigencia", "value": "6"}
    assert fee.quantity_question == "copias"
    # The quote now follows the answers.
    quote = fees.quote(passport.pk, {"vigencia": "6", "copias": "2"}, on=ledger.local_day())
    assert (quote.fee.pk, quote.gross_centavos) == (fee.pk, 400_000)
    entry = last_log(fee)
    assert entry.action == "wagtail.edit" and entry.user_id == sre_admin.pk
    assert entry.data["changes"]["option"] == [{}, {"question": "vigencia", "value": "6"}]
    assert entry.data["changes"]["quantity_question"] == ["", "copias"]
    page = client_for(sre_admin).get(f"{BASE}tramites/{passport.pk}/").content.decode()
    assert "Cambios registrados" in page and "Pregunta de cantidad: — → copias" in page
    assert "Opción del formulario que lo elige: — → pregunta: vigencia, valor: 6" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"legal_basis": "  "}, "legal_basis", "Escriba el fundamento legal del derecho"),
        ({"legal_basis": "x" * 301}, "legal_basis", "El fundamento puede tener hasta 300 caracteres."),
        ({"option": "vigencia=10"}, "option", "Elija una opción de la lista."),
        ({"option": "vigencia=3"}, "option", "Esa respuesta ya elige el derecho «Pasaporte de 3 años»"),
        ({"quantity_question": "nombre"}, "quantity_question", "Elija una opción de la lista."),
    ],
)
def test_the_fee_form_explains_what_to_correct(passport, sre_admin, data, field, message):
    fee = current(passport, "pasaporte-de-6-anos")
    posted = {"legal_basis": "LFD, artículo 20", "option": "", "quantity_question": "", **data}
    response = client_for(sre_admin).post(f"{BASE}tramites/{passport.pk}/derechos/{fee.pk}/", posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    fee.refresh_from_db()
    assert fee.option == {} and fee.legal_basis == "Ley Federal de Derechos, artículo 20"


def test_the_rules_refuse_answers_and_questions_the_live_form_does_not_have(passport, sre_admin):
    fee = current(passport, "pasaporte-de-6-anos")
    with pytest.raises(ValidationError) as refused:
        fee_admin.do_update_fee(
            fee, legal_basis="LFD", option="vigencia=10", quantity_question="nombre", actor=sre_admin
        )
    assert refused.value.message_dict == {
        "option": ["Elija una respuesta de las preguntas de opciones del formulario publicado."],
        "quantity_question": ["Elija una pregunta de número del formulario publicado."],
    }


def test_an_answer_saved_before_the_form_changed_is_kept_until_another_is_chosen(passport, sre_admin):
    fee = current(passport, "pasaporte-de-6-anos")
    Fee.objects.filter(pk=fee.pk).update(option={"question": "duracion", "value": "6"})
    url = f"{BASE}tramites/{passport.pk}/derechos/{fee.pk}/"
    client = client_for(sre_admin)
    assert "ya no está en el formulario publicado" in client.get(url).content.decode()
    response = client.post(
        url, {"legal_basis": "LFD, artículo 20 bis", "option": "duracion=6", "quantity_question": ""}
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.option == {"question": "duracion", "value": "6"} and fee.legal_basis == "LFD, artículo 20 bis"


def test_an_earlier_version_is_history_and_cannot_be_changed(passport, sre_admin):
    old = Fee.objects.get(service=passport, key="pasaporte-de-6-anos", valid_from=dt.date(2019, 1, 1))
    client = client_for(sre_admin)
    url = f"{BASE}tramites/{passport.pk}/derechos/{old.pk}/"
    assert client.get(url).status_code == 302
    assert client.post(url, {"legal_basis": "Otro"}).status_code == 302
    old.refresh_from_db()
    assert old.legal_basis == "Ley Federal de Derechos, artículo 20"
    with pytest.raises(ValidationError, match="solo la versión actual"):
        fee_admin.do_update_fee(old, legal_basis="Otro", option="", quantity_question="", actor=sre_admin)


def test_what_editors_set_survives_the_next_sync_from_the_sheet(passport, sre_admin):
    fee = current(passport, "pasaporte-de-6-anos")
    fee_admin.do_update_fee(
        fee, legal_basis="LFD art. 20-II", option="vigencia=6", quantity_question="copias", actor=sre_admin
    )
    actions.do_sync_fees(
        passport.pk,
        [
            {"concept": "Pasaporte de 3 años", "amount_centavos": 150_000},
            {"concept": "Pasaporte de 6 años", "amount_centavos": 210_000},
        ],
        "LFPA",
        on=ledger.local_day() + dt.timedelta(days=1),
    )
    newest = current(passport, "pasaporte-de-6-anos")
    assert newest.pk != fee.pk and newest.amount_centavos == 210_000
    assert (newest.legal_basis, newest.option, newest.quantity_question) == (
        "LFD art. 20-II",
        {"question": "vigencia", "value": "6"},
        "copias",
    )


# --- The payment setting ---------------------------------------------------------------------------------------------


def setting_data(**overrides) -> dict:
    return {"moment": Moment.AFTER_APPROVAL, "pay_within_days": "15", "reference_valid_days": "7", **overrides}


def test_a_payment_setting_is_created_changed_and_deleted_each_recorded(sre, sre_admin):
    service = make_service(sre)
    make_fee(service)
    client = client_for(sre_admin)
    url = f"{BASE}tramites/{service.pk}/cobro/"
    assert client.post(url, setting_data()).status_code == 302
    setting = PaymentSetting.objects.get(service=service)
    assert (setting.moment, setting.pay_within_days, setting.reference_valid_days) == (Moment.AFTER_APPROVAL, 15, 7)
    assert last_log(setting).action == "wagtail.create"

    assert client.post(url, setting_data(pay_within_days="20")).status_code == 302
    assert last_log(setting).data["changes"] == {"pay_within_days": [15, 20]}

    assert client.get(f"{url}quitar/").status_code == 200
    assert client.post(f"{url}quitar/").status_code == 302
    assert not PaymentSetting.objects.filter(service=service).exists()
    entry = ModelLogEntry.objects.filter(action="wagtail.delete").get()
    assert entry.user_id == sre_admin.pk and entry.data["service"] == service.pk
    html = client.get(f"{BASE}tramites/{service.pk}/").content.decode()
    assert "no se cobran" in html
    assert html.lower().count("cobro del trámite «") == 3  # created, changed, deleted


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"moment": ""}, "Elija cuándo se paga"),
        ({"moment": "nunca"}, "Elija una opción de la lista."),
        ({"pay_within_days": "0"}, "El plazo para pagar va de 1 a 60 días hábiles."),
        ({"pay_within_days": "61"}, "El plazo para pagar va de 1 a 60 días hábiles."),
        ({"pay_within_days": "diez"}, "Escriba un número entero."),
        ({"reference_valid_days": "0"}, "La vigencia de la línea de captura va de 1 a 30 días."),
        ({"reference_valid_days": "31", "pay_within_days": "30"}, "La vigencia de la línea de captura va de 1 a 30"),
        ({"reference_valid_days": ""}, "La vigencia de la línea de captura va de 1 a 30 días."),
        (
            {"pay_within_days": "3", "reference_valid_days": "7"},
            "La línea de captura no puede durar más del doble del plazo para pagar (6 días)",
        ),
    ],
)
def test_the_payment_setting_explains_what_to_correct(passport, sre_admin, data, message):
    response = client_for(sre_admin).post(f"{BASE}tramites/{passport.pk}/cobro/", setting_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PaymentSetting.objects.get(service=passport).moment == Moment.BEFORE_SUBMISSION


# --- Exemptions ------------------------------------------------------------------------------------------------------


def exemption_data(**overrides) -> dict:
    return {
        "name": "Personas con discapacidad",
        "legal_basis": "LFD, artículo 20, fracción V",
        "percent": "100",
        "rule": ExemptionRule.ANSWER_EQUALS,
        "years": "",
        "answer": "discapacidad=si",
        **overrides,
    }


def test_an_exemption_by_answer_is_added_and_applies_to_quotes(passport, sre_admin):
    client = client_for(sre_admin)
    page = client.get(f"{BASE}tramites/{passport.pk}/exenciones/nueva/").content.decode()
    assert 'value="discapacidad=si"' in page and 'value="vigencia=3"' in page and 'value="copias' not in page
    response = client.post(f"{BASE}tramites/{passport.pk}/exenciones/nueva/", exemption_data())
    assert response.status_code == 302
    exemption = Exemption.objects.get(service=passport, name="Personas con discapacidad")
    assert exemption.parameters == {"question": "discapacidad", "value": True}
    assert last_log(exemption).action == "wagtail.create"
    quote = fees.quote(passport.pk, {"vigencia": "3", "discapacidad": True}, on=ledger.local_day())
    assert quote.exemption == exemption and quote.amount_centavos == 0


def test_an_exemption_is_edited_and_deactivated_then_applied_again_never_deleted(passport, sre_admin):
    exemption = Exemption.objects.get(service=passport)
    client = client_for(sre_admin)
    url = f"{BASE}tramites/{passport.pk}/exenciones/{exemption.pk}/"
    assert 'value="60"' in client.get(url).content.decode()
    data = exemption_data(
        name="Personas adultas mayores", rule=ExemptionRule.AGE_AT_LEAST, years="65", answer="", percent="50"
    )
    assert client.post(url, data).status_code == 302
    exemption.refresh_from_db()
    assert (exemption.name, exemption.parameters) == ("Personas adultas mayores", {"years": 65})
    assert last_log(exemption).data["changes"]["parameters"] == [{"years": 60}, {"years": 65}]

    assert client.post(f"{url}vigencia/", {"active": "0"}).status_code == 302
    exemption.refresh_from_db()
    assert not exemption.active
    assert last_log(exemption).data["changes"] == {"active": [True, False]}
    assert client.post(f"{url}vigencia/", {"active": "1"}).status_code == 302
    exemption.refresh_from_db()
    assert exemption.active
    assert client.get(f"{url}vigencia/").status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Escriba el nombre de la exención"),
        ({"legal_basis": ""}, "Escriba el fundamento legal de la exención"),
        ({"percent": "0"}, "El descuento va de 1 a 100 por ciento."),
        ({"percent": "101"}, "El descuento va de 1 a 100 por ciento."),
        ({"percent": ""}, "El descuento va de 1 a 100 por ciento."),
        ({"rule": ""}, "Elija la regla: edad mínima o respuesta del formulario."),
        ({"rule": ExemptionRule.AGE_AT_LEAST, "years": "17"}, "Escriba la edad mínima en años, de 18 a 120."),
        ({"rule": ExemptionRule.AGE_AT_LEAST, "years": "121"}, "Escriba la edad mínima en años, de 18 a 120."),
        ({"rule": ExemptionRule.AGE_AT_LEAST, "years": ""}, "Escriba la edad mínima en años, de 18 a 120."),
        ({"answer": ""}, "Elija la respuesta del formulario publicado que da derecho a la exención"),
        ({"answer": "copias=2"}, "Elija una opción de la lista."),
    ],
)
def test_the_exemption_form_explains_what_to_correct(passport, sre_admin, data, message):
    response = client_for(sre_admin).post(f"{BASE}tramites/{passport.pk}/exenciones/nueva/", exemption_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Exemption.objects.filter(service=passport).count() == 1


def test_an_answer_of_a_question_the_form_lacks_is_refused_by_the_rules(passport, sre_admin):
    with pytest.raises(ValidationError) as refused:
        fee_admin.do_save_exemption(
            passport,
            name="X",
            legal_basis="Y",
            rule=ExemptionRule.ANSWER_EQUALS,
            answer="copias=2",
            percent=10,
            actor=sre_admin,
        )
    assert list(refused.value.message_dict) == ["answer"]


# --- The payment account ---------------------------------------------------------------------------------------------


def valid_clabe(first17: str) -> str:
    return first17 + str(fee_admin.clabe_check_digit(first17))


def account_data(**overrides) -> dict:
    return {
        "provider": "stripe",
        "accepts_online": "on",
        "bank_name": "Banco del Bienestar",
        "clabe": valid_clabe("16618000000000001"),
        **overrides,
    }


def test_a_superuser_creates_an_entitys_account_with_its_code(sre, passport):
    AgencyPaymentAccount.objects.filter(agency=sre).delete()
    root = superuser()
    url = f"{BASE}instituciones/{sre.pk}/cuenta/"
    client = client_for(root)
    assert "Crear la cuenta de cobro" in client.get(url).content.decode()
    assert client.post(url, account_data(code="042")).status_code == 302
    account = AgencyPaymentAccount.objects.get(agency=sre)
    assert (account.code, account.provider, account.clabe) == ("042", "stripe", valid_clabe("16618000000000001"))
    entry = last_log(account)
    assert entry.action == "wagtail.create" and entry.user_id == root.pk


def test_an_entity_administrator_cannot_create_the_account(sre, sre_admin):
    service = make_service(sre)
    make_fee(service)
    url = f"{BASE}instituciones/{sre.pk}/cuenta/"
    client = client_for(sre_admin)
    page = client.get(url)
    assert page.status_code == 200 and "La crea la administración del portal" in page.content.decode()
    refused = client.post(url, account_data(code="042"))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not AgencyPaymentAccount.objects.filter(agency=sre).exists()


def test_the_entitys_staff_change_provider_and_bank_details_but_not_the_code(passport, sre, sre_admin):
    account = AgencyPaymentAccount.objects.get(agency=sre)
    code = account.code
    client = client_for(sre_admin)
    url = f"{BASE}instituciones/{sre.pk}/cuenta/"
    page = client.get(url).content.decode()
    assert code in page and 'name="code"' not in page
    response = client.post(url, account_data(code="999", accepts_online=""))
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.code, account.provider, account.accepts_online) == (code, "stripe", False)
    assert last_log(account).data["changes"]["provider"] == ["sandbox", "stripe"]
    assert "Proveedor de pago en línea: sandbox → stripe" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("clabe", "message"),
    [
        ("0021800001234567", "La CLABE tiene 18 dígitos; escribió 16."),
        ("00218000012345678A", "La CLABE lleva solo números: 18 dígitos."),
        ("002180000123456781", "su dígito verificador no corresponde"),
    ],
)
def test_a_wrong_clabe_is_explained(passport, sre, sre_admin, clabe, message):
    if clabe == "002180000123456781" and valid_clabe(clabe[:17]) == clabe:
        clabe = clabe[:17] + "2"
    response = client_for(sre_admin).post(f"{BASE}instituciones/{sre.pk}/cuenta/", account_data(clabe=clabe))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_clabe_needs_its_bank_and_spaces_are_ignored(passport, sre, sre_admin):
    url = f"{BASE}instituciones/{sre.pk}/cuenta/"
    client = client_for(sre_admin)
    response = client.post(url, account_data(bank_name=""))
    assert response.status_code == 400
    assert "Escriba el banco de la cuenta concentradora de la CLABE." in response.content.decode()
    spaced = valid_clabe("01218000012345678")
    spaced = f"{spaced[:3]} {spaced[3:6]} {spaced[6:17]} {spaced[17]}"
    assert client.post(url, account_data(clabe=spaced)).status_code == 302
    assert AgencyPaymentAccount.objects.get(agency=sre).clabe == spaced.replace(" ", "")


@pytest.mark.parametrize(
    ("code", "message"),
    [("42", "La clave de cobro son tres dígitos, por ejemplo 007."), ("4a2", "La clave de cobro son tres dígitos")],
)
def test_a_wrong_code_is_explained(sre, code, message):
    response = client_for(superuser()).post(f"{BASE}instituciones/{sre.pk}/cuenta/", account_data(code=code))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_code_of_another_entity_is_refused(sre, imss):
    taken = make_payment_account(imss).code
    response = client_for(superuser()).post(f"{BASE}instituciones/{sre.pk}/cuenta/", account_data(code=taken))
    assert response.status_code == 400
    assert f"La clave {taken} ya es de otra institución; elija otra." in response.content.decode()


def test_a_superuser_corrects_the_code_only_until_the_first_reference(passport, sre):
    account = AgencyPaymentAccount.objects.get(agency=sre)
    root = superuser()
    client = client_for(root)
    url = f"{BASE}instituciones/{sre.pk}/cuenta/"
    assert client.post(url, account_data(code="777")).status_code == 302
    account.refresh_from_db()
    assert account.code == "777"

    quote = fees.quote(passport.pk, {"vigencia": "3"}, on=ledger.local_day())
    actions.do_issue_reference(quote=quote, agency_id=sre.pk, subject=f"t:{uuid.uuid4()}")
    assert 'name="code"' not in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="ya no se puede cambiar"):
        fee_admin.do_update_account(
            account, code="778", provider="sandbox", accepts_online=True, bank_name="", clabe="", actor=root
        )


# --- CLABE -----------------------------------------------------------------------------------------------------------


def test_a_published_clabe_passes():
    # The example of Banco de México's description of the CLABE: 032180000118359719.
    assert fee_admin.check_clabe("032180000118359719") == "032180000118359719"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_every_clabe_with_its_check_digit_passes(first17):
    assert fee_admin.check_clabe(valid_clabe(first17)) == valid_clabe(first17)


@given(
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_wrong_digit_is_caught(first17, position, shift):
    clabe = valid_clabe(first17)
    wrong = clabe[:position] + str((int(clabe[position]) + shift) % 10) + clabe[position + 1 :]
    with pytest.raises(ValidationError):
        fee_admin.check_clabe(wrong)


@given(st.text(max_size=30))
def test_the_clabe_check_never_fails_unexpectedly(text):
    with contextlib.suppress(ValidationError):
        assert len(fee_admin.check_clabe(text)) == 18
