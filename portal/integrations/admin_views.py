"""«Sistemas de la institución» in the Wagtail admin: API keys, webhooks and the deliveries made to them.

Entity administrators manage those of their own entity; portal administrators, those of every entity
(``agencies.actions.administered_agencies``). Anything of another entity answers 404 (``access_*`` helpers), so ids
cannot be probed. A key's token and a webhook's secret are shown once, on the page that answers their creation (or
rotation), and never again: the database keeps a digest of the key, and the page says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.agencies.access import administered_agencies
from portal.integrations import access

from .actions import agency_api as key_actions
from .actions import webhooks as webhook_actions
from .models import AgencyApiKey, ApiScope, DeliveryStatus, WebhookEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from portal.agencies.models import Agency

NAMESPACE = "agency_systems"
DELIVERIES_SHOWN = 100


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre de la clave"),
        max_length=key_actions.NAME_MAX_LENGTH,
        help_text=_("Para reconocerla: el sistema que la usa, por ejemplo «Sistema de atención»."),
        error_messages={"required": _("Escriba un nombre para reconocer la clave.")},
    )
    scope = forms.ChoiceField(
        label=_("Permisos"),
        choices=ApiScope.choices,
        initial=ApiScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Solo lectura basta para consultar solicitudes; para cambiar estados hace falta la otra."),
        error_messages={"required": _("Elija los permisos de la clave.")},
    )


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Dirección que recibe los avisos"),
        max_length=500,
        help_text=_("https://…; recibe un POST firmado por cada solicitud nueva."),
        error_messages={"required": _("Escriba la dirección que recibe los avisos.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Eventos"),
        choices=WebhookEvent.choices,
        initial=[WebhookEvent.SUBMITTED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Elija al menos un evento.")},
    )
    is_active = forms.BooleanField(label=_("Activo"), required=False, initial=True)

    def clean_url(self) -> str:
        return webhook_actions.check_webhook_url(self.cleaned_data["url"])


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=[("", _("Todos")), *DeliveryStatus.choices], required=False)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, title: StrOrPromise, status: int = 200
) -> HttpResponse:
    response = TemplateResponse(
        request,
        f"integrations/admin/{template}",
        {"page_title": title, "header_title": title, "header_icon": "key", **context},
        status=status,
    )
    # A page that may show a secret must not be kept by the browser (back button, cache).
    response["Cache-Control"] = "private, no-store"
    return response


def index(request: HttpRequest) -> HttpResponse:
    agencies = administered_agencies(request.user).order_by("name")
    if not agencies.exists():
        raise PermissionDenied
    if len(agencies[:2]) == 1:
        return redirect(f"{NAMESPACE}:agency", agency_id=agencies[0].pk)
    return _page(request, "index.html", {"agencies": agencies}, title=_("Sistemas de la institución"))


def _agency_context(
    agency: Agency, *, key_form: ApiKeyForm | None = None, webhook_form: WebhookForm | None = None
) -> dict[str, Any]:
    return {
        "agency": agency,
        "keys": AgencyApiKey.objects.filter(agency=agency).select_related("created_by").order_by("-created_at"),
        "webhooks": agency.webhooks.order_by("created_at"),
        "key_form": key_form or ApiKeyForm(),
        "webhook_form": webhook_form or WebhookForm(),
    }


def agency_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = access.access_administered_agency(request.user, agency_id)
    return _page(request, "agency.html", _agency_context(agency), title=agency.name)


@require_POST
def create_key(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = access.access_administered_agency(request.user, agency_id)
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No se creó la clave; corrija lo que se indica."))
        return _page(request, "agency.html", _agency_context(agency, key_form=form), title=agency.name, status=400)
    key, token = key_actions.do_create_api_key(
        agency, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"], actor=request.user
    )
    context = {"agency": agency, "key": key, "secret": token, "kind": "key"}
    return _page(request, "secret.html", context, title=_("Clave creada"))


@require_POST
def revoke_key(request: HttpRequest, key_id: int) -> HttpResponse:
    key = access.access_api_key(request.user, key_id)
    key_actions.do_revoke_api_key(key, actor=request.user)
    messages.success(request, _("La clave «%(name)s» quedó revocada.") % {"name": key.name})
    return redirect(f"{NAMESPACE}:agency", agency_id=key.agency_id)


@require_POST
def create_webhook(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = access.access_administered_agency(request.user, agency_id)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No se creó el webhook; corrija lo que se indica."))
        return _page(request, "agency.html", _agency_context(agency, webhook_form=form), title=agency.name, status=400)
    webhook, secret = webhook_actions.do_create_webhook(
        agency, form.cleaned_data["url"], form.cleaned_data["events"], actor=request.user
    )
    context = {"agency": agency, "webhook": webhook, "secret": secret, "kind": "webhook"}
    return _page(request, "secret.html", context, title=_("Webhook creado"))


def edit_webhook(request: HttpRequest, webhook_id: int) -> HttpResponse:
    webhook = access.access_webhook(request.user, webhook_id)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            webhook_actions.do_update_webhook(
                webhook,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                is_active=form.cleaned_data["is_active"],
                actor=request.user,
            )
            messages.success(request, _("Webhook guardado."))
            return redirect(f"{NAMESPACE}:agency", agency_id=webhook.agency_id)
        messages.error(request, _("No se guardó el webhook; corrija lo que se indica."))
        status = 400
    else:
        form = WebhookForm(initial={"url": webhook.url, "events": webhook.events, "is_active": webhook.is_active})
        status = 200
    context = {"agency": webhook.agency, "webhook": webhook, "form": form}
    return _page(request, "webhook.html", context, title=_("Webhook"), status=status)


@require_POST
def rotate_secret(request: HttpRequest, webhook_id: int) -> HttpResponse:
    webhook = access.access_webhook(request.user, webhook_id)
    secret = webhook_actions.do_rotate_webhook_secret(webhook, actor=request.user)
    webhook.refresh_from_db()
    context = {"agency": webhook.agency, "webhook": webhook, "secret": secret, "kind": "rotation"}
    return _page(request, "secret.html", context, title=_("Secreto nuevo"))


def deliveries(request: HttpRequest, webhook_id: int) -> HttpResponse:
    webhook = access.access_webhook(request.user, webhook_id)
    form = DeliveryFilterForm(request.GET or None)
    rows = webhook.deliveries.select_related("application").order_by("-created_at", "-pk")
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    context = {"agency": webhook.agency, "webhook": webhook, "form": form, "deliveries": rows[:DELIVERIES_SHOWN]}
    return _page(request, "deliveries.html", context, title=_("Entregas del webhook"))


@require_POST
def retry_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = access.access_delivery(request.user, delivery_id)
    try:
        webhook_actions.do_retry_delivery(delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("La entrega se enviará de nuevo en unos segundos."))
    return redirect(f"{NAMESPACE}:deliveries", webhook_id=delivery.webhook_id)


class AgencySystemsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return administered_agencies(request.user).exists()


class AgencySystemsViewSet(ViewSet):
    name = "sistemas-de-instituciones"
    url_prefix = "sistemas-de-instituciones"
    url_namespace = NAMESPACE
    icon = "key"
    menu_label = _("Sistemas de la institución")
    menu_item_class = AgencySystemsMenuItem
    add_to_admin_menu = True
    menu_order = 260

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", index, name="index"),
            path("<int:agency_id>/", agency_page, name="agency"),
            path("<int:agency_id>/claves/nueva/", create_key, name="create_key"),
            path("claves/<int:key_id>/revocar/", revoke_key, name="revoke_key"),
            path("<int:agency_id>/webhooks/nuevo/", create_webhook, name="create_webhook"),
            path("webhooks/<int:webhook_id>/", edit_webhook, name="edit_webhook"),
            path("webhooks/<int:webhook_id>/secreto/", rotate_secret, name="rotate_secret"),
            path("webhooks/<int:webhook_id>/entregas/", deliveries, name="deliveries"),
            path("entregas/<int:delivery_id>/reintentar/", retry_delivery, name="retry_delivery"),
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse(f"{NAMESPACE}:index")
