"""The pages of proposals; paths are relative to /participa/ (public pages, and the staff's under gestion/)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("propuestas/", views.public_list, name="proposal_list"),
    path("propuestas/nueva/", views.new_proposal, name="proposal_new"),
    path("propuestas/mias/", views.mine, name="proposal_mine"),
    path("propuestas/datos.csv", views.open_data_csv, name="proposal_data_csv"),
    path("propuestas/datos.json", views.open_data_json, name="proposal_data_json"),
    path("propuestas/<str:code>/", views.public_detail, name="proposal_detail"),
    path("propuestas/<str:code>/apoyar/", views.support, name="proposal_support"),
    path("propuestas/<str:code>/retirar-apoyo/", views.withdraw_support, name="proposal_withdraw_support"),
    path("propuestas/<str:code>/comentar/", views.comment, name="proposal_comment"),
    path("gestion/propuestas/", views.staff_queue, name="proposal_staff_queue"),
    path("gestion/propuestas/ajustes/<str:acronym>/", views.settings_page, name="proposal_settings"),
    path("gestion/propuestas/moderacion/", views.moderation_queue, name="proposal_moderation_queue"),
    path("gestion/propuestas/moderacion/<str:code>/", views.moderation_detail, name="proposal_moderation_detail"),
    path(
        "gestion/propuestas/moderacion/<str:code>/publicar/",
        views.moderation_publish,
        name="proposal_moderation_publish",
    ),
    path(
        "gestion/propuestas/moderacion/<str:code>/rechazar/",
        views.moderation_refuse,
        name="proposal_moderation_refuse",
    ),
    path(
        "gestion/propuestas/moderacion/<str:code>/comentarios/<int:pk>/ocultar/",
        views.moderation_hide_comment,
        name="proposal_hide_comment",
    ),
    path("gestion/propuestas/<str:code>/", views.staff_detail, name="proposal_staff_detail"),
    path("gestion/propuestas/<str:code>/responder/", views.staff_answer, name="proposal_staff_answer"),
    path("gestion/propuestas/<str:code>/avance/", views.staff_progress, name="proposal_staff_progress"),
    path("gestion/propuestas/<str:code>/completar/", views.staff_complete, name="proposal_staff_complete"),
]
