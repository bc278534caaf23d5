"""«Ayuda y contacto» at /ayuda/ (docs/helpdesk.md)."""

from django.urls import path

from . import views

app_name = "helpdesk"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("seguimiento/", views.lookup, name="lookup"),
    path("seguimiento/<str:folio>/", views.ticket, name="ticket"),
    path("seguimiento/<str:folio>/responder/", views.reply, name="reply"),
]
