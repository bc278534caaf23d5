"""The office's side of appointments, under /oficina/citas/ (docs/appointments.md)."""

from django.urls import path

from .views import office

app_name = "appointments_office"

urlpatterns = [
    path("", office.home, name="home"),
    path("<int:office>/", office.office, name="office"),
    path("<int:office>/recepcion/", office.reception, name="reception"),
    path("<int:office>/resumen/", office.summary, name="summary"),
    path("<int:office>/turnos/<int:ticket>/", office.ticket, name="ticket"),
    path("<int:office>/ventanilla/<int:counter>/", office.desk, name="desk"),
    path("<int:office>/ventanilla/<int:counter>/llamar-siguiente/", office.call_next, name="call_next"),
    path("<int:office>/ventanilla/<int:counter>/turnos/<int:ticket>/<slug:act>/", office.act, name="act"),
]
