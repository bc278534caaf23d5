from django.urls import include, path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.overview, name="overview"),
    # Before the petitions' ``gestion/<folio>/``: each part's staff pages live under ``gestion/`` too (second factor).
    path("", include("portal.participation.consultations.urls")),
    path("", include("portal.participation.proposals.urls")),
    path("", include("portal.participation.bodies.urls")),
    path("peticiones/", views.public_list, name="public_list"),
    path("peticiones/reglas/", views.rules, name="rules"),
    path("peticiones/nueva/", views.new_petition, name="new"),
    path("peticiones/mias/", views.mine_list, name="mine_list"),
    path("peticiones/mias/<str:folio>/", views.mine_detail, name="mine_detail"),
    path("peticiones/mias/<str:folio>/respuesta.pdf", views.mine_answer_pdf, name="mine_answer_pdf"),
    path("peticiones/archivos/<str:public_id>/", views.attachment, name="attachment"),
    path("peticiones/instituciones/<str:acronym>/", views.agency_figures, name="agency_figures"),
    path("peticiones/<str:folio>/", views.public_detail, name="public_detail"),
    path("peticiones/<str:folio>/apoyar/", views.support, name="support"),
    path("peticiones/<str:folio>/retirar-apoyo/", views.withdraw_support, name="withdraw_support"),
    path("gestion/", views.staff_queue, name="staff_queue"),
    path("gestion/moderacion/", views.moderation_queue, name="moderation_queue"),
    path("gestion/moderacion/apoyos/", views.surges, name="surges"),
    path("gestion/moderacion/apoyos/<str:folio>/", views.support_breakdown, name="support_breakdown"),
    path("gestion/moderacion/controles/", views.support_limits, name="support_limits"),
    path("gestion/moderacion/anulaciones/", views.invalidation_list, name="invalidation_list"),
    path("gestion/moderacion/anulaciones/nueva/", views.invalidation_new, name="invalidation_new"),
    path("gestion/moderacion/anulaciones/<str:public_id>/", views.invalidation_detail, name="invalidation_detail"),
    path("gestion/moderacion/<str:folio>/", views.moderation_detail, name="moderation_detail"),
    path("gestion/moderacion/<str:folio>/publicar/", views.moderation_publish, name="moderation_publish"),
    path("gestion/moderacion/<str:folio>/rechazar/", views.moderation_reject, name="moderation_reject"),
    path("gestion/moderacion/<str:folio>/duplicada/", views.moderation_duplicate, name="moderation_duplicate"),
    path("gestion/plazo/<str:acronym>/", views.term, name="term"),
    path("gestion/<str:folio>/", views.staff_detail, name="staff_detail"),
    path("gestion/<str:folio>/responder/", views.staff_answer, name="staff_answer"),
    path("gestion/<str:folio>/turnar/", views.staff_forward, name="staff_forward"),
    path("gestion/<str:folio>/respuesta.pdf", views.staff_answer_pdf, name="staff_answer_pdf"),
]
