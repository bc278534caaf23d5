"""The pages of bodies; paths are relative to /participa/ (public pages under ``mecanismos/``, the staff's under
``gestion/mecanismos/``, behind the staff's second factor)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("mecanismos/", views.registry, name="body_registry"),
    path("mecanismos/datos.csv", views.data_csv, name="body_data_csv"),
    path("mecanismos/datos.json", views.data_json, name="body_data_json"),
    path("mecanismos/acuerdos.csv", views.agreements_csv, name="body_agreements_csv"),
    path("mecanismos/acuerdos.json", views.agreements_json, name="body_agreements_json"),
    path("mecanismos/documentos/<str:public_id>/", views.document, name="body_document"),
    path("mecanismos/<slug:slug>/", views.detail, name="body_detail"),
    path("mecanismos/<slug:slug>/sesiones/<int:number>/", views.session, name="body_session"),
    path("gestion/mecanismos/", views.staff_list, name="body_staff"),
    path("gestion/mecanismos/nuevo/", views.staff_new, name="body_new"),
    path("gestion/mecanismos/<slug:slug>/", views.staff_body, name="body_manage"),
    path("gestion/mecanismos/<slug:slug>/editar/", views.staff_edit, name="body_edit"),
    path("gestion/mecanismos/<slug:slug>/integrantes/", views.staff_add_member, name="body_member_add"),
    path(
        "gestion/mecanismos/<slug:slug>/integrantes/<int:member_id>/terminar/",
        views.staff_end_term,
        name="body_member_end",
    ),
    path("gestion/mecanismos/<slug:slug>/sesiones/", views.staff_add_session, name="body_session_add"),
    path("gestion/mecanismos/<slug:slug>/sesiones/<int:number>/", views.staff_session, name="body_session_manage"),
    path(
        "gestion/mecanismos/<slug:slug>/sesiones/<int:number>/estado/",
        views.staff_session_status,
        name="body_session_status",
    ),
    path(
        "gestion/mecanismos/<slug:slug>/sesiones/<int:number>/documentos/",
        views.staff_add_document,
        name="body_document_add",
    ),
    path(
        "gestion/mecanismos/<slug:slug>/sesiones/<int:number>/acuerdos/",
        views.staff_add_agreement,
        name="body_agreement_add",
    ),
    path(
        "gestion/mecanismos/<slug:slug>/sesiones/<int:number>/acuerdos/<int:agreement_id>/seguimiento/",
        views.staff_update_agreement,
        name="body_agreement_update",
    ),
]
