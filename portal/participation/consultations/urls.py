"""The pages of consultations; paths are relative to /participa/ (public pages, and the staff's under gestion/)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("consultas/", views.consultation_list, name="consultation_list"),
    path("consultas/reglas/", views.consultation_rules, name="consultation_rules"),
    path("consultas/comentarios/<str:comment_id>/responder/", views.consultation_reply, name="consultation_reply"),
    path("consultas/comentarios/<str:comment_id>/apoyar/", views.consultation_support, name="consultation_support"),
    path("consultas/<str:slug>/", views.consultation_detail, name="consultation_detail"),
    path("consultas/<str:slug>/respuesta.pdf", views.consultation_response_pdf, name="consultation_response_pdf"),
    path("consultas/<str:slug>/comentarios.csv", views.consultation_comments_csv, name="consultation_comments_csv"),
    path("consultas/<str:slug>/comentarios.json", views.consultation_comments_json, name="consultation_comments_json"),
    path("consultas/<str:slug>/preguntas/<str:number>/", views.consultation_question, name="consultation_question"),
    path("consultas/<str:slug>/<str:order>/", views.consultation_section, name="consultation_section"),
    path("gestion/consultas/", views.consultation_staff_list, name="consultation_staff_list"),
    path("gestion/consultas/nueva/", views.consultation_new, name="consultation_new"),
    path("gestion/consultas/<str:slug>/", views.consultation_staff_detail, name="consultation_staff_detail"),
    path("gestion/consultas/<str:slug>/editar/", views.consultation_edit, name="consultation_edit"),
    path("gestion/consultas/<str:slug>/secciones/", views.consultation_add_section, name="consultation_add_section"),
    path(
        "gestion/consultas/<str:slug>/secciones/<str:order>/final/",
        views.consultation_final_text,
        name="consultation_final_text",
    ),
    path("gestion/consultas/<str:slug>/preguntas/", views.consultation_add_question, name="consultation_add_question"),
    path("gestion/consultas/<str:slug>/publicar/", views.consultation_publish, name="consultation_publish"),
    path(
        "gestion/consultas/<str:slug>/comentarios/<str:comment_id>/retirar/",
        views.consultation_hide,
        name="consultation_hide",
    ),
    path(
        "gestion/consultas/<str:slug>/comentarios/<str:comment_id>/tratamiento/",
        views.consultation_treatment,
        name="consultation_treatment",
    ),
    path("gestion/consultas/<str:slug>/respuesta/", views.consultation_answer, name="consultation_answer"),
]
