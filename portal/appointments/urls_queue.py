"""The queue's public pages under /citas/: the waiting-room display, the kiosk, following a ticket (docs/appointments.md).

Included before the citizen's ``<código>/<token>/``, which would otherwise take «turno/<código>/» for a link."""

from django.urls import path

from .views import queue_public

app_name = "appointments_queue"

urlpatterns = [
    path("kiosco/<int:office>/", queue_public.kiosk, name="kiosk"),
    path("kiosco/<int:office>/turno/<str:code>/", queue_public.kiosk_ticket, name="kiosk_ticket"),
    path("pantalla/<int:office>/", queue_public.display, name="display"),
    path("pantalla/<int:office>/estado/", queue_public.display_state, name="display_state"),
    path("turno/<str:code>/", queue_public.ticket, name="ticket"),
    path("turno/<str:code>/estado/", queue_public.ticket_state, name="ticket_state"),
    path("turno/<str:code>/aviso/", queue_public.ticket_phone, name="ticket_phone"),
]
