from django.urls import path

from . import statistics_views

app_name = "statistics"
urlpatterns = [path("", statistics_views.index, name="index")]
