from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only: the demo seed (``manage.py seed_demo``). Installed by ``config/settings/dev.py`` and
    ``config/settings/test.py``, never by production; no other module imports it (an import-linter contract)."""

    name = "portal.demo"
    label = "demo"
    verbose_name = "Datos de demostración"

    def ready(self) -> None:
        # In ready(): the loaders import the apps' demo modules, which import their models.
        from . import loaders

        # Each installed app's ``demo`` module may contribute a loader; the demo app imports them by name only.
        loaders.autodiscover()
