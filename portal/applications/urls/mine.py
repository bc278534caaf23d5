from django.urls import path

from ..views import mine, prevention

app_name = "applications_mine"
urlpatterns = [
    path("", mine.application_list, name="list"),
    path("<str:folio>/", mine.application_detail, name="detail"),
    path("<str:folio>/acuse/", mine.acknowledgment_page, name="acknowledgment"),
    path("<str:folio>/acuse.pdf", mine.acknowledgment_pdf, name="acknowledgment_pdf"),
    path("<str:folio>/resolucion.pdf", mine.resolution_pdf, name="resolution_pdf"),
    path("<str:folio>/responder/", prevention.answer_information_request, name="respond"),
]
