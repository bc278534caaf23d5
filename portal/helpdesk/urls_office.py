"""The staff's triage of help-desk tickets at /oficina/ayuda/ (included in config/urls.py before the rest of
/oficina/, whose ``<slug:agency>/`` would otherwise take «ayuda» for an entity)."""

from django.urls import path

from . import views

app_name = "helpdesk_office"
urlpatterns = [
    path("", views.office_queue, name="queue"),
    path("<str:folio>/", views.office_ticket, name="ticket"),
    path("<str:folio>/responder/", views.office_answer, name="answer"),
    path("<str:folio>/tomar/", views.office_take, name="take"),
    path("<str:folio>/estado/", views.office_status, name="status"),
    path("<str:folio>/turnar/", views.office_reroute, name="reroute"),
]
