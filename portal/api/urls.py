"""Open data, mounted at /datos/ with the namespace ``data`` (the API itself is ``api.api`` at /api/v1/)."""

from django.urls import path, re_path

from . import views

app_name = "data"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(
        r"^(?P<dataset>tramites|instituciones|oficinas|esperas|recaudacion|desempeno|visitas)\.(?P<fmt>csv|json)$",
        views.download,
        name="download",
    ),
]
