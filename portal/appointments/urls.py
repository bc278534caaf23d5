"""The citizen's side of appointments, under /citas/ (docs/appointments.md, «Citas: para la ciudadanía»)."""

from django.urls import path

from .views import citizen

app_name = "appointments"

urlpatterns = [
    # Booking: the service, the office, the day and time, the confirmation (signed in, with a confirmed CURP).
    path("", citizen.choose_service, name="start"),
    path("tramite/<int:service_id>/", citizen.choose_office, name="office"),
    path("oficina/<int:offering_id>/", citizen.choose_time, name="time"),
    path("oficina/<int:offering_id>/lista-de-espera/", citizen.join_waitlist, name="join_waitlist"),
    path("confirmar/", citizen.confirm, name="confirm"),
    # «Mis citas»: the account's appointments and waiting lists.
    path("mias/", citizen.mine, name="mine"),
    path("mias/lista-de-espera/<int:entry_id>/salir/", citizen.leave_waitlist, name="leave_waitlist"),
    path("mias/<str:code>/", citizen.own, name="own"),
    path("mias/<str:code>/cita.ics", citizen.own_ics, name="own_ics"),
    path("mias/<str:code>/cancelar/", citizen.own_cancel, name="own_cancel"),
    path("mias/<str:code>/cambiar/", citizen.own_reschedule, name="own_reschedule"),
    path("mias/<str:code>/aceptar/", citizen.own_accept, name="own_accept"),
    # The link in every message: whoever has the message sees, downloads, reschedules or cancels the appointment.
    path("<str:code>/<str:token>/", citizen.manage, name="manage"),
    path("<str:code>/<str:token>/cita.ics", citizen.manage_ics, name="manage_ics"),
    path("<str:code>/<str:token>/cancelar/", citizen.manage_cancel, name="manage_cancel"),
    path("<str:code>/<str:token>/cambiar/", citizen.manage_reschedule, name="manage_reschedule"),
    path("<str:code>/<str:token>/aceptar/", citizen.manage_accept, name="manage_accept"),
]
