from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Cuentas de la ciudadanía y del personal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import dashboard, signals  # noqa: F401 (connects the receivers)

        # Each app's ``dashboard`` module registers its sections of «Mi expediente»; accounts imports none of them.
        dashboard.autodiscover()
