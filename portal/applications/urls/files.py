from django.urls import path

from ..views import files

app_name = "applications_files"
urlpatterns = [
    path("<uuid:public_id>/", files.attachment, name="attachment"),
]
