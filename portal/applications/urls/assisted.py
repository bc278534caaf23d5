"""«Atención asistida» at /oficina/asistida/ (docs/assisted-service.md): mounted before the rest of /oficina/, whose
«<slug:agency>/» would otherwise take «asistida» for an entity."""

from django.urls import path

from ..views import assisted

app_name = "applications_assisted"
urlpatterns = [
    path("", assisted.find_person, name="find"),
    path("tramite/", assisted.choose_service, name="service"),
    path("tramite/<int:service_id>/consentimiento/", assisted.consent, name="consent"),
    path("terminar/", assisted.end, name="end"),
    path("enviada/<str:folio>/", assisted.sent, name="sent"),
    path("enviada/<str:folio>/acuse.pdf", assisted.acknowledgment_pdf, name="acknowledgment_pdf"),
]
