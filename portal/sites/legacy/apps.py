from django.apps import AppConfig


class LegacySitesConfig(AppConfig):
    """The migration of entities' old websites (``www.imss.gob.mx``) into their sites, and their old links kept."""

    name = "portal.sites.legacy"
    label = "legacy_sites"
    verbose_name = "Migración de sitios anteriores"
    default_auto_field = "django.db.models.BigAutoField"
