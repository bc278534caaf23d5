from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Issue 15: analytics without tracking (this first part), then service KPIs, the economic cost of procedures,
    feedback and statistics (docs/insights.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.insights"
    label = "insights"
    verbose_name = "Estadísticas"
