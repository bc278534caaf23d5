from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path(
        "sms/acuse/<int:notification_id>/<str:token>/",
        views.sms_delivery_report,
        name="sms_delivery_report",
    ),
    path("sms/entrante/", views.sms_inbound, name="sms_inbound"),
]
