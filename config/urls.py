from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.api.api import api
from portal.core import views as core_views
from portal.insights import feedback_urls
from portal.integrations.api import agency_api

handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("django_prometheus.urls")),
    path("api/v1/", api.urls),
    path("api/agencias/v1/", agency_api.urls),
    # Stricter versions of a few Wagtail admin views (page chooser, page-types report), at the same paths.
    path("admin/", include("portal.services.admin_urls")),
    # The admin API's publish action refuses a page of an entity's site with problems (portal/sites/publication.py).
    path("admin/", include("portal.sites.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documentos/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # OpenID Connect for agency systems: discovery at the root, endpoints under /o/ (docs/oidc.md).
    path("", include("portal.accounts.oidc.urls")),
    # Machine-to-machine callbacks (the SMS gateway's delivery reports), outside the language prefixes.
    path("notificaciones/", include("portal.notifications.urls")),
    # Payment providers' signed notifications (docs/payments.md), outside the language prefixes.
    path("pagos/notificaciones/", include("portal.payments.urls_hooks")),
    # Crawlers: /robots.txt, /sitemap.xml and each entity's /<slug>/sitemap.xml (docs/agency-sites.md).
    path("", include("portal.sites.sitemap_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("portal.core.urls")),
    path("tramites/", include("portal.applications.urls.apply")),
    path("tramites/", include("portal.insights.urls")),
    path("tramites/", include("portal.services.urls")),
    path("gobierno/", include("portal.agencies.urls")),
    path("prensa/", include("portal.sites.urls")),
    path("busqueda/", include("portal.search.urls")),
    path("datos/", include("portal.api.urls")),
    path("estadisticas/", include("portal.insights.statistics_urls")),
    path("curp/", include("portal.registry.urls")),
    path("verificar/", include("portal.documents.urls")),
    path("cuenta/", include("portal.accounts.auth_urls")),
    path("mi-expediente/solicitudes/", include("portal.applications.urls.mine")),
    path("mi-expediente/encuesta/", include((feedback_urls.survey_patterns, "insights_survey"))),
    path("mi-expediente/", include("portal.accounts.urls")),
    path("seguimiento/", include("portal.applications.urls.tracking")),
    path("pagos/", include("portal.payments.urls")),
    path("ayuda/", include("portal.helpdesk.urls")),
    path("citas/", include("portal.appointments.urls_queue")),
    path("citas/", include("portal.appointments.urls")),
    path("archivos/", include("portal.applications.urls.files")),
    # Before the rest of /oficina/: its «<slug:agency>/» would take «denuncias» for an entity.
    path("oficina/denuncias/", include("portal.reports.urls_backoffice")),
    path("oficina/ayuda/", include("portal.helpdesk.urls_office")),
    path("oficina/citas/", include("portal.appointments.urls_office")),
    path("oficina/pagos/", include("portal.payments.urls_finance")),
    path("oficina/asistida/", include("portal.applications.urls.assisted")),
    path("oficina/", include("portal.applications.urls.backoffice")),
    # Denuncia's reporter pages: private headers, no session or CSRF cookie (portal/reports/privacy.py).
    path("participa/denuncia/", include("portal.reports.urls")),
    path("participa/", include("portal.participation.urls")),
    # «¿Te sirvió esta página?» and its comment (docs/insights.md, «Comentarios y satisfacción»).
    path("comentarios/", include((feedback_urls.feedback_patterns, "insights_feedback"))),
    # A gone page's archived copy on its entity's site (portal/sites/retired_views.py).
    path("", include("portal.sites.retired_views")),
    path("", include("portal.sites.serve_urls")),
    prefix_default_language=False,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
