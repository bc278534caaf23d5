"""The citizen's journey, mounted at /tramites/ before the catalogue: only addresses under ``<homoclave>/solicitar/``
are taken here, so the catalogue's own /tramites/<homoclave>/ pages are untouched. Page ids cannot be ``revisar``,
``enviar``, ``salida`` or ``quitar-archivo``: those routes come first."""

from django.urls import path

from ..views import apply

app_name = "applications_apply"
urlpatterns = [
    path("<str:homoclave>/solicitar/", apply.start, name="start"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/", apply.resume, name="resume"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/revisar/", apply.check, name="check"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/enviar/", apply.submit, name="submit"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/quitar-archivo/", apply.remove_file, name="remove_file"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/salida/<slug:exit_id>/", apply.exit_page, name="exit"),
    path("<str:homoclave>/solicitar/<uuid:public_id>/<slug:page_id>/", apply.page, name="page"),
]
