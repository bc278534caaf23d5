from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("peticiones/nueva/", views.new_petition, name="new"),
    path("peticiones/mias/", views.mine_list, name="mine_list"),
    path("peticiones/mias/<str:folio>/", views.mine_detail, name="mine_detail"),
    path("peticiones/mias/<str:folio>/respuesta.pdf", views.mine_answer_pdf, name="mine_answer_pdf"),
    path("peticiones/archivos/<str:public_id>/", views.attachment, name="attachment"),
    path("peticiones/instituciones/<str:acronym>/", views.agency_figures, name="agency_figures"),
    path("gestion/", views.staff_queue, name="staff_queue"),
    path("gestion/plazo/<str:acronym>/", views.term, name="term"),
    path("gestion/<str:folio>/", views.staff_detail, name="staff_detail"),
    path("gestion/<str:folio>/responder/", views.staff_answer, name="staff_answer"),
    path("gestion/<str:folio>/turnar/", views.staff_forward, name="staff_forward"),
    path("gestion/<str:folio>/respuesta.pdf", views.staff_answer_pdf, name="staff_answer_pdf"),
]
