"""Agency systems (OIDC clients) in the Wagtail admin (views and rules in ``admin_views``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin_views import ClientViewSet


@hooks.register("register_admin_viewset")
def register_oidc_clients_viewset():
    return ClientViewSet()


@hooks.register("register_log_actions")
def register_oidc_log_actions(actions):
    actions.register_action(
        "oidc.regenerate_secret", _("Nuevo secreto de cliente"), _("Se generó un nuevo secreto del sistema")
    )
