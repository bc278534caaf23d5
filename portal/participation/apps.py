from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Participa (issue 11): petitions with a legal term to answer them; later consultations, proposals, bodies."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.participation"
    label = "participation"
    verbose_name = "Participación ciudadana"

    def ready(self) -> None:
        # In ready(): the handlers import this app's models, which are loaded only now.
        from portal.agencies.changes import ChangeHandlers, register_change_handlers

        from . import changes

        register_change_handlers(
            "participation", ChangeHandlers(describe=changes.describe, rename=changes.rename, merge=changes.merge)
        )
