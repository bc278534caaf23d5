from django.urls import path

from . import views

app_name = "payments_hooks"

urlpatterns = [
    path("<slug:provider>/", views.notification, name="notification"),
]
