from django.urls import path

from ..views import tracking

app_name = "applications_tracking"
urlpatterns = [
    path("", tracking.track, name="track"),
]
