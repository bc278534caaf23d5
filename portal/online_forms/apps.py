from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineFormsConfig(AppConfig):
    """What an agency asks in a service's online form: the schema format, its validation, the runtime logic (pages,
    conditions, exits, prefill), the questions' fields and rendering, and the admin editor.

    Online applications (``portal.applications``) use it; it knows nothing of them. Its tables kept the names they
    had when this was part of ``portal.applications`` (``applications_*``): the move was made in the migrations'
    state only (``online_forms/0001``, ``applications/0004``).
    """

    name = "portal.online_forms"
    label = "online_forms"
    verbose_name = _("Formularios en línea")
    default_auto_field = "django.db.models.BigAutoField"
