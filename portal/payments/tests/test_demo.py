"""The payments' demo loader: which demo services collect, when they are paid, and that seeding again keeps what
staff changed."""

from __future__ import annotations

import pytest

from portal.agencies.tests.factories import make_agency
from portal.payments import demo
from portal.payments.models import AgencyPaymentAccount, Exemption, Fee, Moment, PaymentSetting
from portal.services.tests.factories import make_service

pytestmark = pytest.mark.django_db


class _Seed:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


def _fee(concept: str, amount: int) -> dict:
    return {"type": "fee", "value": {"concept": concept, "amount": amount}}


@pytest.fixture
def sre():
    agency = make_agency("SRE", name="Secretaría de Relaciones Exteriores")
    passport = make_service(
        agency,
        homoclave=demo.PASSPORT,
        fees=[
            _fee("Pasaporte ordinario, 3 años", 179_500),
            _fee("Pasaporte ordinario, 6 años", 244_000),
            _fee("Pasaporte ordinario, 10 años (solo mayores de edad)", 428_000),
        ],
    )
    certificate = make_service(
        agency,
        homoclave=demo.NATIONALITY_CERTIFICATE,
        fees=[_fee("Expedición del certificado de nacionalidad mexicana", 172_000)],
    )
    free = make_service(agency, homoclave="SRE-09-009", fees=[])
    return passport, certificate, free


def test_the_passport_is_paid_before_and_the_nationality_certificate_after_approval(sre):
    passport, certificate, free = sre
    demo.load_demo(_Seed())

    account = AgencyPaymentAccount.objects.get(agency=passport.agency)
    assert account.provider == "sandbox" and len(account.clabe) == 18 and account.clabe.startswith("999")
    assert PaymentSetting.objects.get(service=passport).moment == Moment.BEFORE_SUBMISSION
    after = PaymentSetting.objects.get(service=certificate)
    assert after.moment == Moment.AFTER_APPROVAL and after.pay_within_days == 15
    # Every validity is chosen by its answer, the 10 years too (its key is shortened from the long concept).
    options = {fee.concept: fee.option for fee in Fee.objects.filter(service=passport)}
    assert options == {
        "Pasaporte ordinario, 3 años": {"question": "vigencia", "value": "3"},
        "Pasaporte ordinario, 6 años": {"question": "vigencia", "value": "6"},
        "Pasaporte ordinario, 10 años (solo mayores de edad)": {"question": "vigencia", "value": "10"},
    }
    assert Exemption.objects.get(service=passport).percent == 50
    assert not Exemption.objects.filter(service=certificate).exists()
    assert Fee.objects.get(service=certificate).amount_centavos == 172_000
    assert not Fee.objects.filter(service=free).exists() and not PaymentSetting.objects.filter(service=free).exists()


def test_seeding_again_keeps_what_staff_changed(sre):
    _passport, certificate, _free = sre
    demo.load_demo(_Seed())
    PaymentSetting.objects.filter(service=certificate).update(pay_within_days=30)
    seed = _Seed()
    demo.load_demo(seed)
    assert PaymentSetting.objects.get(service=certificate).pay_within_days == 30
    assert AgencyPaymentAccount.objects.count() == 1 and Fee.objects.filter(service=certificate).count() == 1
    assert "0 cuentas de cobro nuevas, 0 versiones de derechos" in seed.said[0]
