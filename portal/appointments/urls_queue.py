"""The queue's public pages under /citas/: the waiting-room display, the kiosk, following a ticket (docs/appointments.md)."""

from django.urls import URLPattern, URLResolver

app_name = "appointments_queue"

urlpatterns: list[URLPattern | URLResolver] = []
