"""The pages of bodies; paths are relative to /participa/ (public pages, and the staff's under gestion/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
