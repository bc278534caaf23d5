"""The back office at /oficina/: /oficina/<entity slug>/solicitudes/... (one entity's queue at a time)."""

from django.urls import path

from ..views import backoffice as views

app_name = "applications_backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:agency>/", views.agency_home, name="agency"),
    path("<slug:agency>/solicitudes/", views.queue, name="queue"),
    path("<slug:agency>/solicitudes/<str:folio>/", views.case_detail, name="case"),
    path("<slug:agency>/solicitudes/<str:folio>/tomar/", views.take, name="take"),
    path("<slug:agency>/solicitudes/<str:folio>/asignar/", views.assign, name="assign"),
    path("<slug:agency>/solicitudes/<str:folio>/notas/", views.add_note, name="note"),
    path("<slug:agency>/solicitudes/<str:folio>/prevencion/", views.request_information, name="request_information"),
    path("<slug:agency>/solicitudes/<str:folio>/resolver/", views.resolve, name="resolve"),
    path("<slug:agency>/solicitudes/<str:folio>/resolucion.pdf", views.resolution_pdf, name="resolution_pdf"),
]
