"""What staff may change about how a service charges, and how (the admin section «Cobros», docs/payments-admin.md).

The amounts and concepts of fees come from the published service sheet (``actions.do_sync_fees``) and are never
edited here. What the sheet cannot say is kept by the entity's administrators and finance staff:

- on the **current version** of each fee (the latest of its key that is still charged): its article of law, the
  answer of the online form that chooses it and the question whose number multiplies it. Earlier versions are
  history: a reference issued under one keeps pointing at it, so they are read-only. ``do_sync_fees`` carries these
  fields to the next version;
- the service's **payment setting** (when it is paid, the days to pay, how long a línea de captura lasts);
- its **exemptions** (never deleted: a reference may name one; they are deactivated instead);
- the entity's **payment account**. A superuser creates it with its three-digit code; the code is the first three
  digits of every línea de captura the entity issues, so it changes only while the entity has issued none.

Every ``do_*`` validates everything it is given and raises one ``ValidationError`` whose dict names the field of
each problem, in Spanish, so the page can put each message beside its field. Every change it saves is written to
Wagtail's log (``log``: who, when, and per field what it was and what it became), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from portal.online_forms.queries import LiveQuestion, live_questions

from . import ledger
from .fees import versions_in_force
from .models import (
    AgencyPaymentAccount,
    Exemption,
    ExemptionRule,
    Fee,
    Moment,
    PaymentReference,
    PaymentSetting,
    ProviderKey,
)

CHOICE_TYPES = ("single_choice", "multiple_choice")
#: The answers an exemption may depend on: an option, or a yes/no (a disability certificate, for instance).
ANSWER_TYPES = (*CHOICE_TYPES, "yes_no")
NUMBER_TYPES = ("number",)

PAY_WITHIN_DAYS = (1, 60)
REFERENCE_VALID_DAYS = (1, 30)
AGE_YEARS = (18, 120)
PERCENT = (1, 100)
TEXT_LIMIT = 300
NAME_LIMIT = 200
BANK_LIMIT = 120


# --- Recording -------------------------------------------------------------------------------------------------------


def _changes(instance: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` on ``instance`` and return what changed, ``{field: [before, after]}``."""
    changed: dict[str, list[Any]] = {}
    for name, value in values.items():
        before = getattr(instance, name)
        if before != value:
            changed[name] = [before, value]
            setattr(instance, name, value)
    return changed


def _title(instance: Model) -> str:
    """What the log calls the object (its ``label``): the fee's concept and start, the exemption's name..."""
    if isinstance(instance, Fee):
        return f"{instance.concept} ({instance.valid_from:%d/%m/%Y})"
    if isinstance(instance, AgencyPaymentAccount):
        return instance.code
    if isinstance(instance, PaymentSetting):
        return str(instance.service.title)
    return str(instance)


def _record(instance: Model, action: str, actor: Any, changes: dict[str, list[Any]], **data: Any) -> None:
    """Write who changed what, from what to what (``changes``: ``{field: [before, after]}``), to Wagtail's log."""
    log(instance, action, user=actor, title=_title(instance), data={"changes": changes, **data})


def history(service_id: int, *, limit: int = 30) -> list[HistoryRow]:
    """The latest recorded changes of a service's fees, payment setting and exemptions, newest first."""
    wanted: list[tuple[type[Model], list[str]]] = [
        (Fee, [str(pk) for pk in Fee.objects.filter(service_id=service_id).values_list("pk", flat=True)]),
        (Exemption, [str(pk) for pk in Exemption.objects.filter(service_id=service_id).values_list("pk", flat=True)]),
    ]
    entries = ModelLogEntry.objects.none()
    for model, ids in wanted:
        entries = entries | ModelLogEntry.objects.filter(
            content_type__app_label="payments", content_type__model=model._meta.model_name, object_id__in=ids
        )
    # The setting may have been deleted and made again: its entries are found by the service named in their data.
    entries = entries | ModelLogEntry.objects.filter(
        content_type__app_label="payments",
        content_type__model=PaymentSetting._meta.model_name,
        data__service=service_id,
    )
    return history_rows(list(entries.select_related("user", "content_type").order_by("-timestamp", "-pk")[:limit]))


def account_history(account: AgencyPaymentAccount, *, limit: int = 30) -> list[HistoryRow]:
    return history_rows(
        list(
            ModelLogEntry.objects.filter(
                content_type__app_label="payments",
                content_type__model=AgencyPaymentAccount._meta.model_name,
                object_id=str(account.pk),
            )
            .select_related("user", "content_type")
            .order_by("-timestamp", "-pk")[:limit]
        )
    )


@dataclass(frozen=True)
class HistoryRow:
    when: dt.datetime
    who: Any
    what: str
    changes: list[tuple[str, Any, Any]]


def _shown(value: Any) -> Any:
    """A recorded value as a person reads it (an option's or an exemption's parameters are small dicts)."""
    if isinstance(value, bool):
        return _("sí") if value else _("no")
    if isinstance(value, dict):
        names = {"question": _("pregunta"), "value": _("valor"), "years": _("años")}
        # In the order people read them: PostgreSQL's jsonb keeps a dict's keys in its own order.
        ordered = sorted(value.items(), key=lambda item: list(names).index(item[0]) if item[0] in names else 9)
        return ", ".join(f"{names.get(key, key)}: {_shown(item)}" for key, item in ordered) or None
    return None if value in ("", None) else value


def history_rows(entries: list[ModelLogEntry]) -> list[HistoryRow]:
    """The log entries as a person reads them: each field by its Spanish name, what it was and what it became."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, pair in ((entry.data or {}).get("changes") or {}).items():
            try:
                label = str(model._meta.get_field(name).verbose_name) if model else name
            except LookupError:
                label = name
            before, after = (list(pair) + [None, None])[:2]
            changes.append((label, _shown(before), _shown(after)))
        what = f"{entry.object_verbose_name} «{entry.label}»: {entry.message}".strip()
        rows.append(HistoryRow(when=entry.timestamp, who=entry.user, what=what, changes=changes))
    return rows


# --- The online form's questions -------------------------------------------------------------------------------------


def answer_key(question: str, value: Any) -> str:
    """How a (question, answer) pair is named in a select: ``vigencia=6``; a yes/no answer is ``si`` or ``no``."""
    if isinstance(value, bool):
        value = "si" if value else "no"
    return f"{question}={value}"


@dataclass(frozen=True)
class AnswerChoice:
    key: str
    label: str
    question: str
    value: Any


def answer_choices(service_id: int, types: tuple[str, ...]) -> list[tuple[str, list[AnswerChoice]]]:
    """Per question of the live form of ``types``, the answers one may pick: ``[(question label, [choice...])]``."""
    groups = []
    for question in live_questions(service_id, types):
        groups.append(
            (
                question.label,
                [
                    AnswerChoice(answer_key(question.id, value), f"{question.label}: {label}", question.id, value)
                    for value, label in question.choices
                ],
            )
        )
    return groups


def _answer(key: str, choices: list[tuple[str, list[AnswerChoice]]], kept: dict[str, Any]) -> dict[str, Any] | None:
    """The ``{"question", "value"}`` a select's ``key`` names: one of the live form's, or ``kept`` unchanged (a
    value saved before the form changed stays valid until someone picks another); ``None`` if it names neither."""
    for _label, group in choices:
        for choice in group:
            if choice.key == key:
                return {"question": choice.question, "value": choice.value}
    if kept and key == answer_key(str(kept.get("question", "")), kept.get("value")):
        return dict(kept)
    return None


def number_questions(service_id: int) -> list[LiveQuestion]:
    return live_questions(service_id, NUMBER_TYPES)


# --- Fees ------------------------------------------------------------------------------------------------------------


def fee_versions(service_id: int) -> list[Fee]:
    """Every version of every fee of the service: by fee, newest version first."""
    return list(Fee.objects.filter(service_id=service_id).order_by("sort_order", "key", "-valid_from"))


def current_fees(service_id: int) -> list[Fee]:
    """The latest version of each fee key that is still charged: the only ones whose editor fields may change."""
    latest: dict[str, Fee] = {}
    for fee in Fee.objects.filter(service_id=service_id).order_by("key", "-valid_from"):
        latest.setdefault(fee.key, fee)
    return sorted((fee for fee in latest.values() if not fee.withdrawn), key=lambda fee: (fee.sort_order, fee.key))


def fees_in_force(service_id: int, on: dt.date | None = None) -> list[Fee]:
    """What the service charges today, Mexico City time."""
    return versions_in_force(service_id, on or ledger.local_day())


def check_is_current(fee: Fee) -> bool:
    return any(current.pk == fee.pk for current in current_fees(fee.service_id))


@transaction.atomic
def do_update_fee(fee: Fee, *, legal_basis: str, option: str, quantity_question: str, actor: Any) -> Fee:
    """Set the current version's article, the form's answer that chooses it (``option``, an ``answer_key``; "" for
    none) and the number question that multiplies it ("" for none).

    Two fees chosen by the same answer would make the quote depend on their order, so that is refused.
    """
    fee = Fee.objects.select_for_update().get(pk=fee.pk)
    if not check_is_current(fee):
        raise ValidationError(
            {
                "__all__": _(
                    "Esta versión ya no es la vigente o el derecho ya no se cobra; solo la versión actual se puede "
                    "cambiar."
                )
            }
        )
    errors: dict[str, str] = {}
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        errors["legal_basis"] = _(
            "Escriba el fundamento legal del derecho, por ejemplo «Ley Federal de Derechos, artículo 20»."
        )
    elif len(legal_basis) > TEXT_LIMIT:
        errors["legal_basis"] = _("El fundamento puede tener hasta 300 caracteres.")

    chosen: dict[str, Any] = {}
    if option:
        found = _answer(option, answer_choices(fee.service_id, CHOICE_TYPES), fee.option or {})
        if found is None:
            errors["option"] = _("Elija una respuesta de las preguntas de opciones del formulario publicado.")
        else:
            chosen = found
            for other in current_fees(fee.service_id):
                if other.pk != fee.pk and (other.option or {}) == chosen:
                    errors["option"] = _(
                        "Esa respuesta ya elige el derecho «%(concept)s»; cada respuesta puede elegir un solo derecho."
                    ) % {"concept": other.concept}
                    break

    quantity_question = (quantity_question or "").strip()
    offered = {question.id for question in number_questions(fee.service_id)} | {fee.quantity_question}
    if quantity_question and quantity_question not in offered:
        errors["quantity_question"] = _("Elija una pregunta de número del formulario publicado.")
    if errors:
        raise ValidationError(errors)

    changes = _changes(fee, {"legal_basis": legal_basis, "option": chosen, "quantity_question": quantity_question})
    if changes:
        fee.save(update_fields=list(changes))
        _record(fee, "wagtail.edit", actor, changes)
    return fee


# --- The payment setting ---------------------------------------------------------------------------------------------


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def do_save_payment_setting(
    service: Any, *, moment: str, pay_within_days: Any, reference_valid_days: Any, actor: Any
) -> PaymentSetting:
    """Create or change when the service is paid and the time to pay.

    A línea de captura never outlives the case's own deadline to pay (``actions._expiry`` caps it), so a validity far
    longer than that deadline only misleads whoever sets it: it may be at most twice the days to pay (those are
    business days, the validity calendar days).
    """
    errors: dict[str, str] = {}
    if moment not in Moment.values:
        errors["moment"] = _("Elija cuándo se paga: antes de presentar la solicitud o después de que sea procedente.")
    within = _whole(pay_within_days)
    if within is None or not PAY_WITHIN_DAYS[0] <= within <= PAY_WITHIN_DAYS[1]:
        errors["pay_within_days"] = _("El plazo para pagar va de 1 a 60 días hábiles.")
    valid = _whole(reference_valid_days)
    if valid is None or not REFERENCE_VALID_DAYS[0] <= valid <= REFERENCE_VALID_DAYS[1]:
        errors["reference_valid_days"] = _("La vigencia de la línea de captura va de 1 a 30 días.")
    elif within is not None and "pay_within_days" not in errors and valid > within * 2:
        errors["reference_valid_days"] = _(
            "La línea de captura no puede durar más del doble del plazo para pagar (%(most)d días): la solicitud se "
            "cancelaría por falta de pago antes de que venciera. Acorte la vigencia o alargue el plazo."
        ) % {"most": within * 2}
    if errors:
        raise ValidationError(errors)
    setting = PaymentSetting.objects.select_for_update().filter(service_id=service.pk).first()
    values = {"moment": moment, "pay_within_days": within, "reference_valid_days": valid}
    if setting is None:
        setting = PaymentSetting.objects.create(service_id=service.pk, **values)
        _record_setting(setting, "wagtail.create", actor, {name: [None, value] for name, value in values.items()})
        return setting
    changes = _changes(setting, values)
    if changes:
        setting.save(update_fields=list(changes))
        _record_setting(setting, "wagtail.edit", actor, changes)
    return setting


def _record_setting(setting: PaymentSetting, action: str, actor: Any, changes: dict[str, list[Any]]) -> None:
    # The service is named in the data: the setting's own id does not survive a deletion and a new setting.
    _record(setting, action, actor, changes, service=setting.service_id)


@transaction.atomic
def do_delete_payment_setting(service: Any, *, actor: Any) -> bool:
    """Stop charging the service's online applications. References already issued stay payable and their cases go
    on as before; only new applications are no longer charged. Return whether there was a setting."""
    setting = PaymentSetting.objects.select_for_update().filter(service_id=service.pk).first()
    if setting is None:
        return False
    before = {
        "moment": [setting.moment, None],
        "pay_within_days": [setting.pay_within_days, None],
        "reference_valid_days": [setting.reference_valid_days, None],
    }
    log(
        setting,
        "wagtail.delete",
        user=actor,
        title=_title(setting),
        data={"changes": before, "service": service.pk},
        deleted=True,
    )
    setting.delete()
    return True


# --- Exemptions ------------------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_exemption(
    service: Any,
    *,
    name: str,
    legal_basis: str,
    rule: str,
    years: Any = None,
    answer: str = "",
    percent: Any,
    actor: Any,
    exemption: Exemption | None = None,
) -> Exemption:
    """Add an exemption to the service, or change ``exemption`` (of the same service).

    ``age_at_least`` needs ``years`` (18 to 120: the CURP gives the birth date, and minors do not apply alone);
    ``answer_equals`` needs ``answer``, an ``answer_key`` of an option or a yes/no question of the published form.
    """
    if exemption is not None:
        exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if exemption.service_id != service.pk:
            raise PermissionDenied
    errors: dict[str, str] = {}
    name = (name or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not name:
        errors["name"] = _("Escriba el nombre de la exención, por ejemplo «Personas de 60 años o más».")
    elif len(name) > NAME_LIMIT:
        errors["name"] = _("El nombre puede tener hasta 200 caracteres.")
    if not legal_basis:
        errors["legal_basis"] = _("Escriba el fundamento legal de la exención; se imprime en el recibo.")
    elif len(legal_basis) > TEXT_LIMIT:
        errors["legal_basis"] = _("El fundamento puede tener hasta 300 caracteres.")
    share = _whole(percent)
    if share is None or not PERCENT[0] <= share <= PERCENT[1]:
        errors["percent"] = _("El descuento va de 1 a 100 por ciento.")
    parameters: dict[str, Any] = {}
    if rule == ExemptionRule.AGE_AT_LEAST:
        age = _whole(years)
        if age is None or not AGE_YEARS[0] <= age <= AGE_YEARS[1]:
            errors["years"] = _("Escriba la edad mínima en años, de 18 a 120.")
        else:
            parameters = {"years": age}
    elif rule == ExemptionRule.ANSWER_EQUALS:
        kept = exemption.parameters if exemption is not None and exemption.rule == rule else {}
        found = _answer(answer, answer_choices(service.pk, ANSWER_TYPES), kept or {}) if answer else None
        if found is None:
            errors["answer"] = _(
                "Elija la respuesta del formulario publicado que da derecho a la exención (una pregunta y su valor)."
            )
        else:
            parameters = found
    else:
        errors["rule"] = _("Elija la regla: edad mínima o respuesta del formulario.")
    if errors:
        raise ValidationError(errors)
    values = {"name": name, "legal_basis": legal_basis, "rule": rule, "parameters": parameters, "percent": share}
    if exemption is None:
        exemption = Exemption.objects.create(service_id=service.pk, **values)
        _record(exemption, "wagtail.create", actor, {key: [None, value] for key, value in values.items()})
        return exemption
    changes = _changes(exemption, values)
    if changes:
        exemption.save(update_fields=list(changes))
        _record(exemption, "wagtail.edit", actor, changes)
    return exemption


@transaction.atomic
def do_set_exemption_active(exemption: Exemption, *, active: bool, actor: Any) -> Exemption:
    """Stop (or start again) applying an exemption to new quotes. It is never deleted: references and receipts
    already issued name it."""
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    changes = _changes(exemption, {"active": active})
    if changes:
        exemption.save(update_fields=["active"])
        _record(exemption, "wagtail.edit", actor, changes)
    return exemption


# --- The payment account ---------------------------------------------------------------------------------------------

CLABE_WEIGHTS = (3, 7, 1)


def clabe_check_digit(first17: str) -> int:
    """The CLABE's control digit (Banco de México): each of the 17 digits times 3, 7, 1, 3, 7, 1..., each product
    modulo 10, summed; the digit is (10 − sum mod 10) mod 10."""
    total = sum((int(digit) * CLABE_WEIGHTS[index % 3]) % 10 for index, digit in enumerate(first17))
    return (10 - total % 10) % 10


def check_clabe(value: str) -> str:
    """The CLABE without spaces or dashes, or ``ValidationError`` saying what is wrong with it."""
    clabe = "".join((value or "").split()).replace("-", "")
    if not clabe.isascii() or not clabe.isdigit():
        raise ValidationError(_("La CLABE lleva solo números: 18 dígitos."), code="clabe_digits")
    if len(clabe) != 18:
        raise ValidationError(_("La CLABE tiene 18 dígitos; escribió %(n)d.") % {"n": len(clabe)}, code="clabe_length")
    if clabe_check_digit(clabe[:17]) != int(clabe[17]):
        raise ValidationError(
            _("La CLABE no es válida: su dígito verificador no corresponde. Revise que la haya copiado bien."),
            code="clabe_check",
        )
    return clabe


def check_can_create_account(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def check_can_change_code(user: Any, account: AgencyPaymentAccount) -> bool:
    """A superuser may correct the code while the entity has issued no línea de captura (each one begins with it)."""
    return check_can_create_account(user) and not PaymentReference.objects.filter(agency_id=account.agency_id).exists()


def _account_errors(provider: str, bank_name: str, clabe: str) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    if provider not in ProviderKey.values:
        errors["provider"] = _("Elija un proveedor de pago en línea de la lista.")
    if len(bank_name) > BANK_LIMIT:
        errors["bank_name"] = _("El nombre del banco puede tener hasta 120 caracteres.")
    if clabe:
        try:
            clabe = check_clabe(clabe)
        except ValidationError as invalid:
            errors["clabe"] = invalid.messages[0]
    if clabe and not bank_name and "clabe" not in errors:
        errors["bank_name"] = _("Escriba el banco de la cuenta concentradora de la CLABE.")
    return errors, clabe


def _code_error(code: str, account_id: int | None) -> str:
    if len(code) != 3 or not code.isascii() or not code.isdigit():
        return _("La clave de cobro son tres dígitos, por ejemplo 007.")
    taken = AgencyPaymentAccount.objects.filter(code=code)
    if account_id is not None:
        taken = taken.exclude(pk=account_id)
    if taken.exists():
        return _("La clave %(code)s ya es de otra institución; elija otra.") % {"code": code}
    return ""


@transaction.atomic
def do_create_account(
    agency: Any,
    *,
    code: str,
    provider: str,
    accepts_online: bool,
    bank_name: str,
    clabe: str,
    actor: Any,
) -> AgencyPaymentAccount:
    """Give an entity its payment account. Superusers only: the code is the portal's to hand out."""
    if not check_can_create_account(actor):
        raise PermissionDenied
    code = (code or "").strip()
    bank_name = (bank_name or "").strip()
    errors, clabe = _account_errors(provider, bank_name, clabe)
    if error := _code_error(code, None):
        errors["code"] = error
    if AgencyPaymentAccount.objects.filter(agency_id=agency.pk).exists():
        errors["__all__"] = _("Esta institución ya tiene cuenta de cobro.")
    if errors:
        raise ValidationError(errors)
    values = {
        "code": code,
        "provider": provider,
        "accepts_online": bool(accepts_online),
        "bank_name": bank_name,
        "clabe": clabe,
    }
    try:
        with transaction.atomic():
            account = AgencyPaymentAccount.objects.create(agency_id=agency.pk, **values)
    except IntegrityError:
        # Someone gave the same code or made the account a moment ago.
        raise ValidationError(
            {"code": _("Otra persona asignó esa clave o creó la cuenta al mismo tiempo; revise y vuelva a guardar.")}
        ) from None
    _record(account, "wagtail.create", actor, {key: [None, value] for key, value in values.items()})
    return account


@transaction.atomic
def do_update_account(
    account: AgencyPaymentAccount,
    *,
    provider: str,
    accepts_online: bool,
    bank_name: str,
    clabe: str,
    actor: Any,
    code: str | None = None,
) -> AgencyPaymentAccount:
    """Change how the entity collects. Payments already started finish with the provider that started them.

    ``code`` (``None``: unchanged) only as ``check_can_change_code`` allows."""
    account = AgencyPaymentAccount.objects.select_for_update().get(pk=account.pk)
    bank_name = (bank_name or "").strip()
    errors, clabe = _account_errors(provider, bank_name, clabe)
    values: dict[str, Any] = {
        "provider": provider,
        "accepts_online": bool(accepts_online),
        "bank_name": bank_name,
        "clabe": clabe,
    }
    if code is not None and code.strip() != account.code:
        code = code.strip()
        if not check_can_change_code(actor, account):
            errors["code"] = _(
                "La clave de cobro ya no se puede cambiar: encabeza las líneas de captura que la institución emitió."
            )
        elif error := _code_error(code, account.pk):
            errors["code"] = error
        values["code"] = code
    if errors:
        raise ValidationError(errors)
    changes = _changes(account, values)
    if changes:
        try:
            with transaction.atomic():
                account.save(update_fields=[*changes, "updated_at"])
        except IntegrityError:
            raise ValidationError({"code": _("Otra persona asignó esa clave al mismo tiempo; elija otra.")}) from None
        _record(account, "wagtail.edit", actor, changes)
    return account
