from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "portal.sites"
    # Not "sites": django.contrib.sites and wagtail.sites would read the same in the admin and in migrations.
    label = "agency_sites"
    verbose_name = "Sitios de las instituciones"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # In ready(): these modules import models, which are loaded only now.
        from portal.agencies.changes import register_change_handlers
        from portal.agencies.workspace import register_review_task, register_role_pages, register_workspace_page

        from . import (
            hosts,  # noqa: F401 - its signals forget the cached host names when a site changes
            signals,  # noqa: F401
        )

        # These import models too.
        from .actions import do_make_review_task, do_set_up_agency_site, site_role_pages
        from .changes import HANDLERS

        # Each entity's site home is where its editors publish its own pages, under its groups and workflow.
        register_workspace_page("sites", do_set_up_agency_site)
        # Renames and mergers move the entity's site (docs/agency-sites.md, «Cambios de estructura»).
        register_change_handlers("sites", HANDLERS)
        # The focal points' parts of the site; the review task that keeps the last editor from approving.
        register_role_pages("sites", site_role_pages)
        register_review_task(do_make_review_task)
