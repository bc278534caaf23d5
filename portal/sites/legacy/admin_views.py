"""«Migración de sitios» in the Wagtail admin: progress across entities, each old site's runs, reports and map.

What a person may see is ``access``'s answer (their entity's site, or every site for portal administrators); the
changes go through ``actions`` and ``csvmap``, as the commands' do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.agencies.access import agencies_for, check_is_portal_admin

from . import access, actions, queries
from .csvmap import export_csv, import_csv
from .models import MappingStatus, SiteRule
from .suggestions import do_suggest_targets

NAMESPACE = "legacy_sites"
MAPPINGS_PER_PAGE = 50
MAX_CSV_BYTES = 5 * 1024 * 1024


class MapUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV del mapa"),
        error_messages={"required": gettext_lazy("Elija el archivo CSV del mapa.")},
    )


def _page(request: HttpRequest, template: str, context: dict[str, Any], title: str, status: int = 200) -> HttpResponse:
    return TemplateResponse(
        request,
        f"legacy_sites/admin/{template}",
        {"page_title": title, "header_title": title, "header_icon": "redirect", **context},
        status=status,
    )


def index(request: HttpRequest) -> HttpResponse:
    if not access.check_sees_any_site(request.user):
        raise PermissionDenied
    sites = queries.sites_with_counts(access.visible_sites(request.user)).order_by("agency__name", "pk")
    scope = None if check_is_portal_admin(request.user) else agencies_for(request.user, access.SITE_ROLES)
    progress = queries.migration_progress(scope)
    migrated = set(queries.migrated_sites().values_list("pk", flat=True))
    return _page(
        request,
        "index.html",
        {"sites": sites, "progress": progress, "migrated": migrated},
        _("Migración de sitios"),
    )


def site_page(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access.access_legacy_site(request.user, site_id)
    status = request.GET.get("estado", "")
    mappings = Paginator(queries.site_mappings(site, status), MAPPINGS_PER_PAGE).get_page(request.GET.get("pagina"))
    counts = queries.sites_with_counts(access.visible_sites(request.user).filter(pk=site.pk)).get()
    context = {
        "site": site,
        "counts": counts,
        "runs": queries.site_runs(site)[:20],
        "mappings": mappings,
        "status": status,
        "statuses": MappingStatus.choices,
        "rules": SiteRule.choices,
        "upload_form": MapUploadForm(),
    }
    return _page(request, "site.html", context, site.agency.name)


def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.access_run(request.user, run_id)
    rows = Paginator(run.rows.select_related("page"), 100).get_page(request.GET.get("pagina"))
    return _page(request, "run.html", {"run": run, "site": run.site, "rows": rows}, _("Informe de la importación"))


@require_POST
def accept(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.access_mapping(request.user, mapping_id)
    try:
        actions.do_accept_suggestion(mapping, request.user)
        messages.success(request, _("«%(path)s» ahora lleva a la página sugerida.") % {"path": mapping.old_path})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_back(request, mapping.site_id))


@require_POST
def reject(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.access_mapping(request.user, mapping_id)
    actions.do_reject_suggestion(mapping, request.user)
    messages.success(request, _("Sugerencia descartada para «%(path)s».") % {"path": mapping.old_path})
    return redirect(_back(request, mapping.site_id))


@require_POST
def archive(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.access_mapping(request.user, mapping_id)
    actions.do_map(mapping, MappingStatus.ARCHIVE, user=request.user)
    messages.success(request, _("«%(path)s» queda archivada (responde 410 con su copia).") % {"path": mapping.old_path})
    return redirect(_back(request, mapping.site_id))


@require_POST
def suggest(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access.access_legacy_site(request.user, site_id)
    made = do_suggest_targets(site)
    messages.success(request, _("%(count)s direcciones sin destino tienen una sugerencia.") % {"count": made})
    return redirect(f"{NAMESPACE}:site", site_id=site.pk)


@require_POST
def settings_view(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access.access_legacy_site(request.user, site_id)
    try:
        actions.do_set_site_rule(site, request.POST.get("site_rule", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{NAMESPACE}:site", site_id=site.pk)
    actions.do_mark_done(site, request.POST.get("marked_done") == "on")
    messages.success(request, _("Cambios guardados."))
    return redirect(f"{NAMESPACE}:site", site_id=site.pk)


def export_map(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access.access_legacy_site(request.user, site_id)
    response = HttpResponse(export_csv(site), content_type="text/csv; charset=utf-8")
    name = f"mapa-{site.agency.acronym.lower()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def import_map(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access.access_legacy_site(request.user, site_id)
    form = MapUploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if not form.is_valid():
        errors = [str(message) for message in form.errors.get("file", [])]
    else:
        upload = form.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            errors = [_("El archivo pesa más de 5 MB.")]
        else:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                errors = [_("El archivo no está en UTF-8: guárdelo como «CSV UTF-8».")]
            else:
                result = import_csv(site, text, request.user)
                errors = result.errors
                if not errors:
                    messages.success(
                        request, _("Mapa importado: %(count)s direcciones cambiadas.") % {"count": result.applied}
                    )
                    return redirect(f"{NAMESPACE}:site", site_id=site.pk)
    messages.error(request, _("El mapa no se importó; nada cambió."))
    context = {"site": site, "errors": errors, "upload_form": form}
    return _page(request, "import_errors.html", context, _("Importar el mapa"), status=400)


def _back(request: HttpRequest, site_id: int) -> str:
    """Back to the list the person was on (status and page kept), never to another host."""
    url = reverse(f"{NAMESPACE}:site", args=[site_id])
    query = {key: request.POST[key] for key in ("estado", "pagina") if request.POST.get(key, "").isalnum()}
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


class MigrationMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.check_sees_any_site(request.user)


class MigrationViewSet(ViewSet):
    name = "migracion-de-sitios"
    url_prefix = "migracion-de-sitios"
    url_namespace = NAMESPACE
    icon = "redirect"
    menu_label = gettext_lazy("Migración de sitios")
    menu_item_class = MigrationMenuItem
    add_to_admin_menu = True
    menu_order = 270

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", index, name="index"),
            path("<int:site_id>/", site_page, name="site"),
            path("<int:site_id>/mapa.csv", export_map, name="export"),
            path("<int:site_id>/importar-mapa/", import_map, name="import"),
            path("<int:site_id>/sugerir/", suggest, name="suggest"),
            path("<int:site_id>/ajustes/", settings_view, name="settings"),
            path("importaciones/<int:run_id>/", run_page, name="run"),
            path("direcciones/<int:mapping_id>/aceptar/", accept, name="accept"),
            path("direcciones/<int:mapping_id>/rechazar/", reject, name="reject"),
            path("direcciones/<int:mapping_id>/archivar/", archive, name="archive"),
        ]

    @cached_property
    def menu_url(self) -> str:
        return reverse(f"{NAMESPACE}:index")
