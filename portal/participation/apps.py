from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Participa (issue 11): petitions with a legal term to answer them; later consultations, proposals, bodies."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.participation"
    label = "participation"
    verbose_name = "Participación ciudadana"
