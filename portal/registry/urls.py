from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.consult, name="consult"),
    path("constancia/", views.issue_certificate, name="certificate"),
]
