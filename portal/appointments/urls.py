"""The citizen's side of appointments, under /citas/ (docs/appointments.md)."""

from django.urls import path

from .views import citizen

app_name = "appointments"

urlpatterns = [
    # The link in every message: whoever has the message sees, downloads, reschedules or cancels the appointment.
    path("<str:code>/<str:token>/", citizen.manage, name="manage"),
]
