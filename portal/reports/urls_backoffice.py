"""The investigators' back office at /oficina/denuncias/ (included in config/urls.py before the rest of /oficina/,
whose ``<slug:agency>/`` would otherwise take «denuncias» for an entity)."""

from django.urls import path

from .views import investigators as views

app_name = "reports_backoffice"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("llave/", views.key, name="key"),
    path("llave/contrasena-anterior/", views.relock, name="relock"),
    path("llave/nueva/", views.replace_key, name="replace_key"),
    path("llave/bloquear/", views.lock, name="lock"),
    path("equipo/", views.team, name="team"),
    path("equipo/dar-acceso/", views.grant, name="grant"),
    path("ajustes/", views.settings_list, name="settings_list"),
    path("ajustes/<slug:agency>/", views.body_settings_form, name="settings"),
    path("<str:folio>/", views.report_detail, name="report"),
    path("<str:folio>/preguntar/", views.ask, name="ask"),
    path("<str:folio>/actuaciones/", views.record_action, name="record_action"),
    path("<str:folio>/clasificar/", views.classify, name="classify"),
    path("<str:folio>/clasificar/procedente/", views.classify_in_scope, name="classify_in_scope"),
    path("<str:folio>/clasificar/no-procedente/", views.classify_out_of_scope, name="classify_out_of_scope"),
    path("<str:folio>/clasificar/turnar/", views.forward, name="forward"),
    path("<str:folio>/clasificar/turnar-fuera/", views.forward_outside, name="forward_outside"),
    path("<str:folio>/concluir/", views.close, name="close"),
    path("<str:folio>/archivos/<uuid:file>/", views.download, name="download"),
]
