"""Fees, payment references, online payments, refunds, the ledger and reconciliation (docs/payments.md).

Money is integer centavos everywhere. A ``PaymentReference`` is what a person owes (the línea de captura on the hoja
de ayuda) and can be paid through any channel; a ``Payment`` is one attempt to pay it online through a provider.
Every state change of either writes a ``PaymentEvent`` in the same transaction. Every movement of money writes a
balanced ``LedgerTransaction``: the sum of its lines is zero.

The payments app knows what it charges for only as a ``subject`` string («application:<uuid>»), as documents does:
the app that asked for the charge hears of the payment through ``signals.reference_paid`` and moves its own records.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import grouped


class Moment(models.TextChoices):
    """When a service's fee is paid (docs/payments.md, «Cuándo se paga»)."""

    BEFORE_SUBMISSION = "before_submission", _("Antes de presentar la solicitud")
    AFTER_APPROVAL = "after_approval", _("Después de que la solicitud sea procedente")


class ProviderKey(models.TextChoices):
    SANDBOX = "sandbox", _("Pasarela de pruebas (sandbox)")
    STRIPE = "stripe", _("Stripe")


class AgencyPaymentAccount(models.Model):
    """How one entity collects: its three-digit code in every línea de captura and its online payment provider.

    Switching ``provider`` changes nothing in the services: payments already created finish with the provider that
    created them (``Payment.provider``), new ones go to the new one.
    """

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="payment_account"
    )
    code = models.CharField(
        _("clave de cobro"), max_length=3, unique=True, help_text=_("Tres dígitos; encabezan cada línea de captura.")
    )
    provider = models.CharField(
        _("proveedor de pago en línea"), max_length=16, choices=ProviderKey.choices, default=ProviderKey.SANDBOX
    )
    accepts_online = models.BooleanField(_("acepta pago con tarjeta en línea"), default=True)
    bank_name = models.CharField(_("banco de la cuenta concentradora"), max_length=120, blank=True)
    clabe = models.CharField(_("CLABE de la cuenta concentradora"), max_length=18, blank=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    class Meta:
        verbose_name = _("cuenta de cobro")
        verbose_name_plural = _("cuentas de cobro")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="payments_account_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.agency_id}"


class Fee(models.Model):
    """A payable fee of a service in force from ``valid_from`` until the next version of the same ``key`` starts.

    The yearly update of the Ley Federal de Derechos adds a new row; old rows stay, so an application pays the fee
    in force when it was submitted and a receipt years later still names the amount and article it was charged
    under.
    """

    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.CASCADE, related_name="payable_fees"
    )
    key = models.SlugField(_("clave del derecho"), max_length=40)
    concept = models.CharField(_("concepto"), max_length=300)
    amount_centavos = models.PositiveBigIntegerField(_("monto en centavos"))
    legal_basis = models.CharField(
        _("fundamento"), max_length=300, blank=True, help_text=_("Por ejemplo: Ley Federal de Derechos, artículo 20.")
    )
    valid_from = models.DateField(_("vigente desde"))
    # The answer that selects this alternative: {"question": "<id>", "value": "<option>"}; empty = the only one.
    option = models.JSONField(_("opción del formulario que lo elige"), default=dict, blank=True)
    # The question whose number multiplies the fee (copies, years...); empty = one.
    quantity_question = models.CharField(_("pregunta de cantidad"), max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # A version that says the fee stopped being charged from ``valid_from`` (it left the sheet).
    withdrawn = models.BooleanField(_("ya no se cobra"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service_id", "sort_order", "key", "-valid_from"]
        verbose_name = _("derecho a pagar")
        verbose_name_plural = _("derechos a pagar")
        constraints = [
            models.UniqueConstraint(fields=["service", "key", "valid_from"], name="payments_fee_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.valid_from} {self.amount_centavos}"


class ExemptionRule(models.TextChoices):
    AGE_AT_LEAST = "age_at_least", _("Edad mínima de la persona solicitante (según su CURP)")
    ANSWER_EQUALS = "answer_equals", _("Respuesta del formulario")


class Exemption(models.Model):
    """A discount the law grants (older adults, people with a disability...), applied from the applicant's data."""

    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.CASCADE, related_name="fee_exemptions"
    )
    name = models.CharField(_("nombre"), max_length=200)
    legal_basis = models.CharField(_("fundamento"), max_length=300)
    rule = models.CharField(_("regla"), max_length=20, choices=ExemptionRule.choices)
    # age_at_least: {"years": 60}; answer_equals: {"question": "<id>", "value": <answer>}
    parameters = models.JSONField(_("parámetros"), default=dict)
    percent = models.PositiveSmallIntegerField(_("porcentaje de descuento"), default=100)
    active = models.BooleanField(_("vigente"), default=True)

    class Meta:
        ordering = ["service_id", "-percent", "pk"]
        verbose_name = _("exención o descuento")
        verbose_name_plural = _("exenciones y descuentos")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100), name="payments_exemption_percent")
        ]

    def __str__(self) -> str:
        return self.name


class PaymentSetting(models.Model):
    """Whether and when a service's online application is paid for, and how long the person has to pay."""

    service = models.OneToOneField(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.CASCADE, related_name="payment_setting"
    )
    moment = models.CharField(_("cuándo se paga"), max_length=20, choices=Moment.choices)
    pay_within_days = models.PositiveSmallIntegerField(
        _("días hábiles para pagar"),
        default=10,
        help_text=_("Antes de presentar: pasado el plazo sin pago, la solicitud se cancela por falta de pago."),
    )
    reference_valid_days = models.PositiveSmallIntegerField(_("vigencia de la línea de captura en días"), default=5)

    class Meta:
        verbose_name = _("cobro del trámite")
        verbose_name_plural = _("cobros de trámites")

    def __str__(self) -> str:
        return f"{self.service_id} {self.moment}"


class ReferenceStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente de pago")
    PAID = "paid", _("Pagada")
    EXPIRED = "expired", _("Vencida")
    CANCELLED = "cancelled", _("Cancelada")
    REFUNDED = "refunded", _("Reembolsada")
    PARTIALLY_REFUNDED = "partially_refunded", _("Reembolsada en parte")


class PaymentChannel(models.TextChoices):
    ONLINE = "online", _("En línea con tarjeta")
    BANK = "bank", _("En ventanilla bancaria")
    TRANSFER = "transfer", _("Por transferencia (SPEI)")
    STORE = "store", _("En tienda de conveniencia")
    COUNTER = "counter", _("En la caja de la oficina")


class PaymentReference(models.Model):
    """What a person owes for one thing: the amount, the fee and the law it was computed under, and its línea de
    captura. Paid once, through whichever channel arrives first; a second payment is a duplicate to refund."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("línea de captura"), max_length=20, unique=True)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="payment_references"
    )
    service = models.ForeignKey(
        "services.ServicePage", verbose_name=_("trámite"), on_delete=models.PROTECT, related_name="payment_references"
    )
    fee = models.ForeignKey(Fee, verbose_name=_("derecho"), on_delete=models.PROTECT, related_name="references")
    # What the charge is for, as the app that asked for it names it («application:<uuid>»).
    subject = models.CharField(_("asunto"), max_length=80, db_index=True)
    subject_label = models.CharField(_("referencia del asunto"), max_length=80, blank=True)  # e.g. the folio
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona que paga"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payment_references",
    )
    payer_name = models.CharField(_("nombre de quien paga"), max_length=300, blank=True)
    payer_curp = models.CharField(_("CURP de quien paga"), max_length=18, blank=True)
    concept = models.CharField(_("concepto"), max_length=300)
    legal_basis = models.CharField(_("fundamento"), max_length=300, blank=True)
    unit_centavos = models.PositiveBigIntegerField(_("monto unitario en centavos"))
    quantity = models.PositiveIntegerField(_("cantidad"), default=1)
    gross_centavos = models.PositiveBigIntegerField(_("importe antes de descuentos"))
    exemption_name = models.CharField(_("exención aplicada"), max_length=200, blank=True)
    exemption_basis = models.CharField(_("fundamento de la exención"), max_length=300, blank=True)
    discount_centavos = models.PositiveBigIntegerField(_("descuento en centavos"), default=0)
    amount_centavos = models.PositiveBigIntegerField(_("total a pagar en centavos"))
    # What the amount was computed from (the answers that chose the fee, its quantity and the exemption, and the
    # birth date an age exemption used), so that a re-issue computes the fee then in force from the same facts.
    inputs = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=ReferenceStatus.choices, default=ReferenceStatus.PENDING, db_index=True
    )
    issued_at = models.DateTimeField(_("emitida"), default=timezone.now)
    expires_on = models.DateField(_("vence"), db_index=True)  # payable through this day, Mexico City time
    # The subject's own last day to pay (a case lapses after it): no re-issue goes past it.
    payable_until = models.DateField(_("plazo final para pagar"), null=True, blank=True)
    paid_at = models.DateTimeField(_("pagada"), null=True, blank=True)
    paid_channel = models.CharField(_("canal de pago"), max_length=10, choices=PaymentChannel.choices, blank=True)
    paid_centavos = models.PositiveBigIntegerField(_("pagado en centavos"), default=0)
    refunded_centavos = models.PositiveBigIntegerField(_("reembolsado en centavos"), default=0)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("reemplaza a"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    receipt_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("recibo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("línea de captura")
        verbose_name_plural = _("líneas de captura")
        indexes = [
            models.Index(fields=["agency", "status", "-issued_at"], name="payments_ref_agency_idx"),
            models.Index(fields=["payer", "-issued_at"], name="payments_ref_payer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_centavos=models.F("gross_centavos") - models.F("discount_centavos")),
                name="payments_ref_amount_is_gross_less_discount",
            ),
            models.CheckConstraint(
                condition=Q(refunded_centavos__lte=models.F("paid_centavos")), name="payments_ref_refund_le_paid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["paid", "refunded", "partially_refunded"]) | Q(paid_at__isnull=False),
                name="payments_ref_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def grouped_reference(self) -> str:
        return grouped(self.reference)

    @property
    def is_payable(self) -> bool:
        return self.status == ReferenceStatus.PENDING

    @property
    def is_paid(self) -> bool:
        return self.status in (
            ReferenceStatus.PAID,
            ReferenceStatus.REFUNDED,
            ReferenceStatus.PARTIALLY_REFUNDED,
        )

    @property
    def refundable_centavos(self) -> int:
        return self.paid_centavos - self.refunded_centavos


class PaymentStatus(models.TextChoices):
    """GOV.UK Pay's states, which people and support staff already understand."""

    CREATED = "created", _("Creado")
    STARTED = "started", _("En la página de pago")
    SUCCESS = "success", _("Pagado")
    FAILED = "failed", _("Rechazado")
    CANCELLED = "cancelled", _("Cancelado por la persona")
    EXPIRED = "expired", _("Vencido sin pagar")
    ERROR = "error", _("Error del proveedor")

    @classmethod
    def final_values(cls) -> tuple[str, ...]:
        return (cls.SUCCESS, cls.FAILED, cls.CANCELLED, cls.EXPIRED, cls.ERROR)


class Payment(models.Model):
    """One attempt to pay a reference online through a provider's hosted page. No card data ever reaches the
    portal: the person types it on the provider's page."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.ForeignKey(
        PaymentReference, verbose_name=_("línea de captura"), on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("proveedor"), max_length=16, choices=ProviderKey.choices)
    provider_payment_id = models.CharField(_("identificador en el proveedor"), max_length=120, blank=True)
    next_url = models.URLField(_("página de pago"), max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    request_digest = models.CharField(max_length=64)  # SHA-256 of what was asked with that key
    amount_centavos = models.PositiveBigIntegerField(_("monto en centavos"))
    provider_fee_centavos = models.PositiveBigIntegerField(_("comisión del proveedor en centavos"), default=0)
    status = models.CharField(
        _("estado"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED, db_index=True
    )
    failure_code = models.CharField(_("motivo"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    expires_at = models.DateTimeField(_("vence"), db_index=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pago en línea")
        verbose_name_plural = _("pagos en línea")
        indexes = [models.Index(fields=["provider", "provider_payment_id"], name="payments_provider_id_idx")]
        constraints = [
            # One successful online payment per reference: a second charge would be money taken twice.
            models.UniqueConstraint(
                fields=["reference"], condition=Q(status="success"), name="payments_one_success_per_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_payment_id or self.public_id}"

    @property
    def is_final(self) -> bool:
        return self.status in PaymentStatus.final_values()


class PaymentEventKind(models.TextChoices):
    ISSUED = "issued", _("Línea de captura emitida")
    REISSUED = "reissued", _("Línea de captura reemitida")
    PAYMENT_CREATED = "payment_created", _("Pago en línea iniciado")
    PAYMENT_STATUS = "payment_status", _("Cambio de estado del pago en línea")
    PAID = "paid", _("Pago recibido")
    DUPLICATE = "duplicate", _("Pago duplicado")
    EXPIRED = "expired", _("Línea de captura vencida")
    CANCELLED = "cancelled", _("Línea de captura cancelada")
    REFUND_REQUESTED = "refund_requested", _("Reembolso solicitado")
    REFUNDED = "refunded", _("Reembolso hecho")
    REFUND_FAILED = "refund_failed", _("Reembolso rechazado por el proveedor")
    RECEIPT = "receipt", _("Recibo emitido")


class PaymentEvent(models.Model):
    """Every change of a reference or of one of its payments: who (by role), when, from, to, and why."""

    reference = models.ForeignKey(PaymentReference, on_delete=models.CASCADE, related_name="events")
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("evento"), max_length=20, choices=PaymentEventKind.choices)
    from_status = models.CharField(_("de"), max_length=20, blank=True)
    to_status = models.CharField(_("a"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("quién"), on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_role = models.CharField(_("en calidad de"), max_length=20)  # payer, finance, provider, bank, system
    amount_centavos = models.BigIntegerField(_("monto en centavos"), default=0)
    reason = models.TextField(_("motivo"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evento de pago")
        verbose_name_plural = _("eventos de pago")

    def __str__(self) -> str:
        return f"{self.kind} {self.reference_id}"


class ProviderNotification(models.Model):
    """A signed notification a provider sent, kept once per (provider, event id): a second delivery of the same event
    is recognised and answered 200 without acting again."""

    provider = models.CharField(max_length=16, choices=ProviderKey.choices)
    event_id = models.CharField(max_length=120)
    provider_payment_id = models.CharField(max_length=120, blank=True, db_index=True)
    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)
    deliveries = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("notificación del proveedor")
        verbose_name_plural = _("notificaciones del proveedor")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Solicitado al proveedor")
    DONE = "done", _("Hecho")
    FAILED = "failed", _("Rechazado")


class Refund(models.Model):
    """Money given back by authorised finance staff, with a reason; partial refunds add up to at most what was
    paid (checked under the reference's row lock)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.ForeignKey(PaymentReference, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds")
    amount_centavos = models.PositiveBigIntegerField(_("monto en centavos"))
    reason = models.TextField(_("motivo"))
    # The return of a second payment of the same reference (money that was never owed), not a refund of the fee.
    of_duplicate = models.BooleanField(_("devolución de un pago duplicado"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    provider_refund_id = models.CharField(max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reembolso")
        verbose_name_plural = _("reembolsos")
        constraints = [models.CheckConstraint(condition=Q(amount_centavos__gt=0), name="payments_refund_positive")]

    def __str__(self) -> str:
        return f"{self.reference_id} −{self.amount_centavos}"


class Account(models.TextChoices):
    """The ledger's accounts, one set per agency. Debits are positive, credits negative; each transaction sums 0."""

    RECEIVABLE = "receivable", _("Derechos por cobrar")
    PROVIDER_CLEARING = "provider_clearing", _("Saldo en el proveedor de pago")
    BANK = "bank", _("Cuenta concentradora")
    REVENUE = "revenue", _("Ingresos por derechos")
    PROVIDER_FEES = "provider_fees", _("Comisiones del proveedor")
    REFUNDS_PAYABLE = "refunds_payable", _("Pagos duplicados por devolver")


class LedgerTransaction(models.Model):
    """One movement of money, balanced. ``external_id`` makes posting idempotent: the same notification, statement
    line or refund posted twice is one transaction."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="ledger_transactions")
    reference = models.ForeignKey(
        PaymentReference, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_transactions"
    )
    kind = models.CharField(max_length=20)  # charge, payment, provider_fee, refund, payout, duplicate, cancel
    external_id = models.CharField(max_length=160, unique=True)
    memo = models.CharField(max_length=300, blank=True)
    booked_on = models.DateField(db_index=True)  # Mexico City day, for the daily close
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("asiento contable")
        verbose_name_plural = _("asientos contables")
        indexes = [models.Index(fields=["agency", "booked_on"], name="payments_ledger_day_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"


class LedgerLine(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.CASCADE, related_name="lines")
    account = models.CharField(max_length=20, choices=Account.choices)
    amount_centavos = models.BigIntegerField()  # + debit, − credit

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partida")
        verbose_name_plural = _("partidas")
        constraints = [models.CheckConstraint(condition=~Q(amount_centavos=0), name="payments_line_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_centavos}"


class StatementSource(models.TextChoices):
    BANK = "bank", _("Estado de cuenta del banco")
    PROVIDER = "provider", _("Reporte de liquidación del proveedor")


class StatementImport(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="statement_imports")
    source = models.CharField(_("origen"), max_length=10, choices=StatementSource.choices)
    filename = models.CharField(_("archivo"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    line_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    exception_count = models.PositiveIntegerField(default=0)
    total_centavos = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("estado de cuenta importado")
        verbose_name_plural = _("estados de cuenta importados")
        constraints = [
            # The same file imported twice is refused: its payments would be counted twice.
            models.UniqueConstraint(fields=["agency", "source", "sha256"], name="payments_statement_once")
        ]

    def __str__(self) -> str:
        return self.filename


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("Conciliada")
    ALREADY_KNOWN = "already_known", _("Ya registrada")
    EXCEPTION = "exception", _("Con diferencia")


class StatementLine(models.Model):
    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField()
    external_id = models.CharField(_("folio del movimiento"), max_length=120)
    reference_text = models.CharField(_("referencia"), max_length=40)
    amount_centavos = models.BigIntegerField(_("monto en centavos"))
    fee_centavos = models.BigIntegerField(_("comisión en centavos"), default=0)
    occurred_at = models.DateTimeField(_("fecha del movimiento"))
    channel = models.CharField(_("canal"), max_length=10, choices=PaymentChannel.choices)
    reference = models.ForeignKey(
        PaymentReference, on_delete=models.SET_NULL, null=True, blank=True, related_name="statement_lines"
    )
    status = models.CharField(_("resultado"), max_length=14, choices=LineStatus.choices)

    class Meta:
        ordering = ["statement_id", "line_number"]
        verbose_name = _("movimiento del estado de cuenta")
        verbose_name_plural = _("movimientos del estado de cuenta")

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line_number}"


class ExceptionKind(models.TextChoices):
    UNKNOWN_REFERENCE = "unknown_reference", _("Referencia desconocida")
    WRONG_AMOUNT = "wrong_amount", _("Monto distinto del adeudado")
    DUPLICATE_PAYMENT = "duplicate_payment", _("Pago duplicado")
    PAID_AFTER_EXPIRY = "paid_after_expiry", _("Pagada después de vencer")
    MISSING_FROM_STATEMENT = "missing_from_statement", _("Pago en línea ausente del reporte del proveedor")


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Pendiente")
    RESOLVED = "resolved", _("Resuelta")


class ReconciliationException(models.Model):
    """Something finance staff must look at: money that arrived and does not match what was owed."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="payment_exceptions")
    kind = models.CharField(_("tipo"), max_length=24, choices=ExceptionKind.choices)
    status = models.CharField(
        _("estado"), max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN, db_index=True
    )
    line = models.ForeignKey(StatementLine, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions")
    reference = models.ForeignKey(
        PaymentReference, on_delete=models.SET_NULL, null=True, blank=True, related_name="exceptions"
    )
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="exceptions")
    amount_centavos = models.BigIntegerField(_("monto en centavos"), default=0)
    detail = models.TextField(_("detalle"), blank=True)
    # Idempotency of detection: the same difference found twice is one exception.
    dedup_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("cómo se resolvió"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("diferencia de conciliación")
        verbose_name_plural = _("diferencias de conciliación")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_centavos}"


class DailyClose(models.Model):
    """An agency's day, closed by finance staff: the totals per channel and account as they stood, frozen."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="daily_closes")
    day = models.DateField(_("día"))
    totals = models.JSONField(_("totales"), default=dict)
    open_exceptions = models.PositiveIntegerField(_("diferencias pendientes al cerrar"), default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("cierre diario")
        verbose_name_plural = _("cierres diarios")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="payments_one_close_per_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"
