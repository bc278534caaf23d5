from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accesibilidad/", views.static_page, {"template": "core/accessibility.html"}, name="accessibility"),
    path("privacidad/", views.static_page, {"template": "core/privacy.html"}, name="privacy"),
    path("dias-inhabiles/", views.non_working_days, name="non_working_days"),
    path("terminos/", views.static_page, {"template": "core/terms.html"}, name="terms"),
]
