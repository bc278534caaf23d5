"""The office's side of appointments, under /oficina/citas/ (docs/appointments.md)."""

from django.urls import URLPattern, URLResolver

app_name = "appointments_office"

urlpatterns: list[URLPattern | URLResolver] = []
