from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    """A Django app of its own (label ``oidc``) inside the accounts package, so its migrations stay apart."""

    name = "portal.accounts.oidc"
    label = "oidc"
    verbose_name = _("Inicio de sesión en sistemas de las instituciones (OpenID Connect)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(): these modules import models, which are loaded only now.
        from portal.accounts.personal_data import register_eraser, register_exporter

        from . import actions, queries

        tokens = ["oauth2_provider.Grant", "oauth2_provider.AccessToken", "oauth2_provider.RefreshToken"]
        register_exporter(
            "sistemas_conectados", queries.export_for_account, models=["oidc.Consent", "oidc.ConsentEvent"]
        )
        register_eraser(
            "sistemas_conectados",
            actions.do_erase_for_account,
            models=["oidc.Consent", "oidc.ConsentEvent", "oidc.PairwiseSubject", "oauth2_provider.IDToken", *tokens],
        )
