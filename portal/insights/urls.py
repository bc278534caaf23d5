"""The public KPI page of each service, under the catalogue: /tramites/<homoclave>/desempeno/."""

from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("<str:homoclave>/desempeno/", views.service_performance, name="service_performance"),
]
