from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "portal.services"
    label = "services"
    verbose_name = "Catálogo de trámites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(): these modules import models, which are loaded only now.
        from portal.agencies.changes import register_change_handlers
        from portal.agencies.workspace import register_role_pages, register_workspace_page

        from . import signals  # noqa: F401
        from .actions import CHANGE_HANDLERS, catalogue_role_pages, do_set_up_agency_catalogue

        # Each entity's catalogue page is where its editors and approvers work on its services.
        register_workspace_page("services", do_set_up_agency_catalogue)
        # A renamed entity's catalogue takes its name; an absorbed one's sheets move (docs/agency-sites.md).
        register_change_handlers("services", CHANGE_HANDLERS)
        # The operation focal point («Enlace de operación») works on the entity's service sheets.
        register_role_pages("services", catalogue_role_pages)
