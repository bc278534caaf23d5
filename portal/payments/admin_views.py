"""«Cobros» in the Wagtail admin: an entity's administrators and finance staff keep what the service sheet cannot say
about its fees, the services' payment settings and exemptions, and the entity's payment account
(docs/payments-admin.md).

Thin: who may open what is ``access`` (every URL names a service or an entity and goes through an ``access_*`` first,
so another entity's is a 404 whatever the URL); every rule and every message about what was typed is in
``fee_admin``, whose ``ValidationError`` names the field of each problem. The forms here only turn what was posted
into values and draw the fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import access, fee_admin
from .models import (
    AgencyPaymentAccount,
    Exemption,
    ExemptionRule,
    Fee,
    Moment,
    PaymentSetting,
    ProviderKey,
)

# --- Forms: what was posted, as values ------------------------------------------------------------------------------

NUMBER_ERRORS = {"invalid": gettext_lazy("Escriba un número entero.")}


def _answer_select(
    groups: list[tuple[str, list[fee_admin.AnswerChoice]]], kept: dict[str, Any], empty: str
) -> list[Any]:
    """A select's choices grouped by question; a saved answer no longer in the form is offered as it was."""
    choices: list[Any] = [("", empty)]
    keys: set[str] = set()
    for label, group in groups:
        choices.append((label, [(choice.key, choice.label.split(": ", 1)[-1]) for choice in group]))
        keys.update(choice.key for choice in group)
    if kept:
        key = fee_admin.answer_key(str(kept.get("question", "")), kept.get("value"))
        if key not in keys:
            choices.append((_("Guardada (ya no está en el formulario publicado)"), [(key, key)]))
    return choices


class FeeForm(forms.Form):
    legal_basis = forms.CharField(
        label=gettext_lazy("Fundamento"),
        required=False,
        help_text=gettext_lazy("El artículo que cobra este derecho; se imprime en la hoja de ayuda y en el recibo."),
    )
    option = forms.ChoiceField(
        label=gettext_lazy("Respuesta del formulario que elige este derecho"),
        required=False,
        help_text=gettext_lazy(
            "Cuando el trámite tiene varias opciones (un pasaporte de 3, 6 o 10 años), la respuesta que corresponde a "
            "este derecho. Sin respuesta, se cobra a quien ninguna otra respuesta elige."
        ),
    )
    quantity_question = forms.ChoiceField(
        label=gettext_lazy("Pregunta de cantidad"),
        required=False,
        help_text=gettext_lazy("La pregunta de número que multiplica el monto (copias, años). Se cobran hasta 99."),
    )

    def __init__(self, *args: Any, fee: Fee, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "legal_basis": fee.legal_basis,
                "option": fee_admin.answer_key(fee.option["question"], fee.option.get("value")) if fee.option else "",
                "quantity_question": fee.quantity_question,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = _answer_select(  # type: ignore[attr-defined]
            fee_admin.answer_choices(fee.service_id, fee_admin.CHOICE_TYPES), fee.option or {}, _("Ninguna")
        )
        numbers = [(question.id, question.label) for question in fee_admin.number_questions(fee.service_id)]
        if fee.quantity_question and fee.quantity_question not in {key for key, _label in numbers}:
            numbers.append(
                (
                    fee.quantity_question,
                    _("%(id)s (ya no está en el formulario publicado)") % {"id": fee.quantity_question},
                )
            )
        self.fields["quantity_question"].choices = [("", _("Ninguna: se cobra una vez")), *numbers]  # type: ignore[attr-defined]
        for name in ("option", "quantity_question"):
            self.fields[name].error_messages["invalid_choice"] = _("Elija una opción de la lista.")


class SettingForm(forms.Form):
    moment = forms.ChoiceField(
        label=gettext_lazy("Cuándo se paga"),
        choices=Moment.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    pay_within_days = forms.IntegerField(
        label=gettext_lazy("Días hábiles para pagar"),
        required=False,
        error_messages=NUMBER_ERRORS,
        help_text=gettext_lazy("De 1 a 60. Pasado el plazo sin pago, la solicitud se cancela por falta de pago."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reference_valid_days = forms.IntegerField(
        label=gettext_lazy("Vigencia de la línea de captura en días"),
        required=False,
        error_messages=NUMBER_ERRORS,
        help_text=gettext_lazy("De 1 a 30 y no más del doble de los días para pagar; vencida, se puede reemitir."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["moment"].error_messages["invalid_choice"] = _("Elija una opción de la lista.")


class ExemptionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nombre"), required=False)
    legal_basis = forms.CharField(
        label=gettext_lazy("Fundamento"),
        required=False,
        help_text=gettext_lazy("El artículo que concede la exención; se imprime en el recibo."),
    )
    percent = forms.IntegerField(
        label=gettext_lazy("Porcentaje de descuento"),
        required=False,
        error_messages=NUMBER_ERRORS,
        help_text=gettext_lazy("De 1 a 100; 100 exenta del pago por completo."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    rule = forms.ChoiceField(
        label=gettext_lazy("Quién tiene derecho"),
        choices=ExemptionRule.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    years = forms.IntegerField(
        label=gettext_lazy("Edad mínima en años"),
        required=False,
        error_messages=NUMBER_ERRORS,
        help_text=gettext_lazy("Solo con la regla de edad: de 18 a 120; la edad se toma de la CURP."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    answer = forms.ChoiceField(
        label=gettext_lazy("Respuesta que da derecho a la exención"),
        required=False,
        help_text=gettext_lazy("Solo con la regla de respuesta: la pregunta del formulario publicado y su valor."),
    )

    def __init__(self, *args: Any, service: Any, exemption: Exemption | None = None, **kwargs: Any) -> None:
        if exemption is not None:
            parameters = exemption.parameters or {}
            kwargs.setdefault(
                "initial",
                {
                    "name": exemption.name,
                    "legal_basis": exemption.legal_basis,
                    "percent": exemption.percent,
                    "rule": exemption.rule,
                    "years": parameters.get("years") if exemption.rule == ExemptionRule.AGE_AT_LEAST else None,
                    "answer": fee_admin.answer_key(parameters.get("question", ""), parameters.get("value"))
                    if exemption.rule == ExemptionRule.ANSWER_EQUALS
                    else "",
                },
            )
        super().__init__(*args, **kwargs)
        kept = (exemption.parameters or {}) if exemption and exemption.rule == ExemptionRule.ANSWER_EQUALS else {}
        self.fields["answer"].choices = _answer_select(  # type: ignore[attr-defined]
            fee_admin.answer_choices(service.pk, fee_admin.ANSWER_TYPES), kept, _("Elija una respuesta")
        )
        for name in ("answer", "rule"):
            self.fields[name].error_messages["invalid_choice"] = _("Elija una opción de la lista.")


class AccountForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Clave de cobro"),
        required=False,
        max_length=3,
        help_text=gettext_lazy("Tres dígitos; encabezan cada línea de captura de la institución."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    provider = forms.ChoiceField(
        label=gettext_lazy("Proveedor de pago en línea"), choices=ProviderKey.choices, required=False
    )
    accepts_online = forms.BooleanField(label=gettext_lazy("Acepta pago con tarjeta en línea"), required=False)
    bank_name = forms.CharField(label=gettext_lazy("Banco de la cuenta concentradora"), required=False)
    clabe = forms.CharField(
        label=gettext_lazy("CLABE de la cuenta concentradora"),
        required=False,
        help_text=gettext_lazy("18 dígitos; se revisa su dígito verificador. Se da para pagar por transferencia."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].error_messages["invalid_choice"] = _("Elija un proveedor de la lista.")
        self.fields["code"].error_messages["max_length"] = _("La clave de cobro son tres dígitos, por ejemplo 007.")
        if not with_code:
            del self.fields["code"]


# --- Views -----------------------------------------------------------------------------------------------------------


if TYPE_CHECKING:
    # What the mixin below is mixed into: Wagtail's admin views (Wagtail ships no types, so Any to mypy).
    from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin as _AdminView
else:
    _AdminView = object


class CobrosMixin(_AdminView):
    """Resolve the service named in the URL (403 for someone who keeps no entity's fees, 404 outside theirs)."""

    header_icon = "tag"
    service: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "service_id" in kwargs:
            self.service = access.access_charged_service(request.user, kwargs["service_id"])
        elif not access.check_can_keep_fees(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [*self.breadcrumbs_items, {"url": reverse("payments_fees:index"), "label": _("Cobros")}]
        if self.service is not None:
            items.append({"url": reverse("payments_fees:service", args=[self.service.pk]), "label": self.service.title})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["service"] = self.service
        return context  # type: ignore[no-any-return]


class IndexView(CobrosMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "payments/admin/index.html"
    page_title = gettext_lazy("Cobros")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        agencies = access.fee_admin_agencies(self.request.user)
        charged = access.charged_service_ids(agencies.values("pk"))
        service_model: Any = Fee._meta.get_field("service").related_model
        services = list(
            service_model._default_manager.filter(pk__in=charged)
            .select_related("agency")
            .annotate(active_exemptions=Count("fee_exemptions", filter=Q(fee_exemptions__active=True)))
            .order_by("title")
        )
        settings = {row.service_id: row for row in PaymentSetting.objects.filter(service_id__in=charged)}
        accounts = {
            row.agency_id: row for row in AgencyPaymentAccount.objects.filter(agency_id__in=agencies.values("pk"))
        }
        with_services = {service.agency_id for service in services}
        rows = []
        for agency in agencies.filter(Q(pk__in=with_services) | Q(pk__in=list(accounts))):
            rows.append(
                {
                    "agency": agency,
                    "account": accounts.get(agency.pk),
                    "services": [
                        {
                            "service": service,
                            "fees": fee_admin.fees_in_force(service.pk),
                            "setting": settings.get(service.pk),
                        }
                        for service in services
                        if service.agency_id == agency.pk
                    ],
                }
            )
        context["rows"] = rows
        return context


class ServiceView(CobrosMixin, WagtailAdminTemplateMixin, TemplateView):
    """A service's fees (every version), its payment setting, its exemptions and what was changed."""

    template_name = "payments/admin/service.html"

    def get_page_title(self) -> str:
        return str(self.service.title)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("payments_fees:index"), "label": _("Cobros")},
            {"url": "", "label": self.service.title},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        current = {fee.pk for fee in fee_admin.current_fees(self.service.pk)}
        in_force = {fee.pk for fee in fee_admin.fees_in_force(self.service.pk)}
        context.update(
            versions=[
                {"fee": fee, "current": fee.pk in current, "in_force": fee.pk in in_force}
                for fee in fee_admin.fee_versions(self.service.pk)
            ],
            setting=PaymentSetting.objects.filter(service_id=self.service.pk).first(),
            exemptions=list(Exemption.objects.filter(service_id=self.service.pk)),
            history=fee_admin.history(self.service.pk),
            has_form=bool(fee_admin.answer_choices(self.service.pk, fee_admin.ANSWER_TYPES))
            or bool(fee_admin.number_questions(self.service.pk)),
        )
        return context


class FormView(CobrosMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page with one form: what was posted goes to a ``fee_admin.do_*``; what it refuses comes back beside each
    field with a 400 and everything typed kept."""

    template_name = "payments/admin/form.html"
    done_message = gettext_lazy("Cambios guardados.")
    intro: Any = ""

    def build(self, data: Any = None) -> forms.Form:
        raise NotImplementedError  # abstract: each form page builds its own form

    def save(self, values: dict[str, Any]) -> None:
        raise NotImplementedError  # abstract: each form page saves through its own fee_admin.do_*

    def done_url(self) -> str:
        return reverse("payments_fees:service", args=[self.service.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.build())
        context.update(action_url=self.request.path, intro=self.intro, cancel_url=self.done_url())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.build(request.POST)
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
        if not form.is_valid():
            messages.error(request, _("No se guardó; corrija lo que se indica."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, str(self.done_message))
        return redirect(self.done_url())


class FeeEditView(FormView):
    page_title = gettext_lazy("Datos del derecho")
    done_message = gettext_lazy("Derecho guardado.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        service = access.access_charged_service(request.user, kwargs["service_id"])
        fee = Fee.objects.filter(pk=kwargs["pk"], service_id=service.pk).first()
        if fee is None:
            raise Http404
        self.fee: Fee = fee
        if not fee_admin.check_is_current(fee):
            messages.warning(request, _("Solo la versión vigente de un derecho se puede cambiar; esta es historia."))
            return redirect("payments_fees:service", service.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.fee.concept)

    @cached_property
    def intro(self) -> str:
        return _(
            "El monto y el concepto vienen de la ficha publicada del trámite; aquí se dice lo que la ficha no dice. Los "
            "cambios valen para la versión vigente (desde el %(day)s) y pasan a las versiones siguientes."
        ) % {"day": self.fee.valid_from.strftime("%d/%m/%Y")}

    def build(self, data: Any = None) -> forms.Form:
        return FeeForm(data, fee=self.fee)

    def save(self, values: dict[str, Any]) -> None:
        fee_admin.do_update_fee(
            self.fee,
            legal_basis=values["legal_basis"],
            option=values["option"],
            quantity_question=values["quantity_question"],
            actor=self.request.user,
        )


class SettingView(FormView):
    page_title = gettext_lazy("Cuándo y en qué plazo se paga")
    done_message = gettext_lazy("Cobro del trámite guardado.")
    intro = gettext_lazy(
        "Antes de presentar: la solicitud llega a la institución cuando se paga. Después de que sea procedente: la "
        "resolución se entrega cuando se paga. La línea de captura vence antes del plazo para pagar y se puede "
        "reemitir hasta ese plazo."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["setting"] = PaymentSetting.objects.filter(service_id=self.service.pk).first()
        return context

    def build(self, data: Any = None) -> forms.Form:
        setting = PaymentSetting.objects.filter(service_id=self.service.pk).first()
        initial = (
            {
                "moment": setting.moment,
                "pay_within_days": setting.pay_within_days,
                "reference_valid_days": setting.reference_valid_days,
            }
            if setting
            else {"pay_within_days": 10, "reference_valid_days": 5}
        )
        return SettingForm(data, initial=initial)

    def save(self, values: dict[str, Any]) -> None:
        fee_admin.do_save_payment_setting(
            self.service,
            moment=values["moment"],
            pay_within_days=values["pay_within_days"],
            reference_valid_days=values["reference_valid_days"],
            actor=self.request.user,
        )


class SettingDeleteView(CobrosMixin, WagtailAdminTemplateMixin, TemplateView):
    """Ask, then stop charging the service's new online applications."""

    template_name = "payments/admin/setting_delete.html"
    page_title = gettext_lazy("Dejar de cobrar en línea")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        service = access.access_charged_service(request.user, kwargs["service_id"])
        if not PaymentSetting.objects.filter(service_id=service.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fee_admin.do_delete_payment_setting(self.service, actor=request.user)
        messages.success(request, _("Las solicitudes nuevas de este trámite ya no se cobran en línea."))
        if access.check_can_keep_fees(request.user) and fee_admin.fee_versions(self.service.pk):
            return redirect("payments_fees:service", self.service.pk)
        return redirect("payments_fees:index")


class ExemptionView(FormView):
    done_message = gettext_lazy("Exención guardada.")
    intro = gettext_lazy(
        "Una exención es un descuento que la ley concede. Se aplica sola, con los datos de quien solicita: su edad "
        "según la CURP o una respuesta del formulario. Si se cumplen varias, se aplica la mayor; nunca se suman."
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        service = access.access_charged_service(request.user, kwargs["service_id"])
        self.exemption = None
        if "pk" in kwargs:
            self.exemption = Exemption.objects.filter(pk=kwargs["pk"], service_id=service.pk).first()
            if self.exemption is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.exemption.name) if self.exemption else _("Nueva exención o descuento")

    def build(self, data: Any = None) -> forms.Form:
        return ExemptionForm(data, service=self.service, exemption=self.exemption)

    def save(self, values: dict[str, Any]) -> None:
        fee_admin.do_save_exemption(
            self.service,
            exemption=self.exemption,
            name=values["name"],
            legal_basis=values["legal_basis"],
            rule=values["rule"],
            years=values["years"],
            answer=values["answer"],
            percent=values["percent"],
            actor=self.request.user,
        )


class ExemptionActiveView(CobrosMixin, WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        exemption = Exemption.objects.filter(pk=kwargs["pk"], service_id=self.service.pk).first()
        if exemption is None:
            raise Http404
        active = request.POST.get("active") == "1"
        fee_admin.do_set_exemption_active(exemption, active=active, actor=request.user)
        if active:
            messages.success(request, _("La exención «%(name)s» vuelve a aplicarse.") % {"name": exemption.name})
        else:
            messages.success(
                request,
                _("La exención «%(name)s» ya no se aplica a los cobros nuevos.") % {"name": exemption.name},
            )
        return redirect("payments_fees:service", self.service.pk)


class AccountView(FormView):
    """The entity's payment account. Superusers create it and give its code; the entity's staff change the rest."""

    template_name = "payments/admin/account.html"
    page_title = gettext_lazy("Cuenta de cobro")
    done_message = gettext_lazy("Cuenta de cobro guardada.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.agency = access.access_fee_agency(request.user, kwargs["agency_id"])
        self.account = AgencyPaymentAccount.objects.filter(agency_id=self.agency.pk).first()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("Cuenta de cobro de %(agency)s") % {"agency": self.agency.acronym or self.agency.name}

    def done_url(self) -> str:
        return reverse("payments_fees:account", args=[self.agency.pk])

    @property
    def can_create(self) -> bool:
        return fee_admin.check_can_create_account(self.request.user)

    @property
    def with_code(self) -> bool:
        if self.account is None:
            return self.can_create
        return fee_admin.check_can_change_code(self.request.user, self.account)

    def build(self, data: Any = None) -> forms.Form:
        account = self.account
        initial = (
            {
                "code": account.code,
                "provider": account.provider,
                "accepts_online": account.accepts_online,
                "bank_name": account.bank_name,
                "clabe": account.clabe,
            }
            if account
            else {"provider": ProviderKey.SANDBOX, "accepts_online": True}
        )
        return AccountForm(data, initial=initial, with_code=self.with_code)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            agency=self.agency,
            account=self.account,
            can_edit=self.account is not None or self.can_create,
            with_code=self.with_code,
            history=fee_admin.account_history(self.account) if self.account else [],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.account is None and not self.can_create:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save(self, values: dict[str, Any]) -> None:
        common = {
            "provider": values["provider"],
            "accepts_online": values["accepts_online"],
            "bank_name": values["bank_name"],
            "clabe": values["clabe"],
            "actor": self.request.user,
        }
        if self.account is None:
            fee_admin.do_create_account(self.agency, code=values.get("code", ""), **common)
        else:
            fee_admin.do_update_account(self.account, code=values.get("code"), **common)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("payments_fees:index"), "label": _("Cobros")},
            {"url": "", "label": self.get_page_title()},
        ]


class CobrosMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.check_can_keep_fees(request.user)


class CobrosViewSet(ViewSet):
    name = "cobros"
    url_prefix = "cobros"
    url_namespace = "payments_fees"
    icon = "tag"
    menu_label = gettext_lazy("Cobros")
    menu_item_class = CobrosMenuItem
    add_to_admin_menu = True
    menu_order = 246

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", IndexView.as_view(), name="index"),
            path("tramites/<int:service_id>/", ServiceView.as_view(), name="service"),
            path("tramites/<int:service_id>/derechos/<int:pk>/", FeeEditView.as_view(), name="fee"),
            path("tramites/<int:service_id>/cobro/", SettingView.as_view(), name="setting"),
            path("tramites/<int:service_id>/cobro/quitar/", SettingDeleteView.as_view(), name="setting_delete"),
            path("tramites/<int:service_id>/exenciones/nueva/", ExemptionView.as_view(), name="exemption_add"),
            path("tramites/<int:service_id>/exenciones/<int:pk>/", ExemptionView.as_view(), name="exemption"),
            path(
                "tramites/<int:service_id>/exenciones/<int:pk>/vigencia/",
                ExemptionActiveView.as_view(),
                name="exemption_active",
            ),
            path("instituciones/<int:agency_id>/cuenta/", AccountView.as_view(), name="account"),
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse("payments_fees:index")
