from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, homepage, signals  # noqa: F401 - registers the system checks, connects the receivers

        # Each app's ``homepage`` module registers its part of the front page; core imports none of them.
        homepage.autodiscover()
