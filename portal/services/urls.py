from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:homoclave>/", views.detail, name="detail"),
    path("<str:homoclave>/imprimir/", views.printable, name="print"),
]
