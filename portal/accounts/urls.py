from django.urls import path

from . import views
from .oidc import views as oidc_views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("nombre/", views.edit_profile, name="edit_profile"),
    path("curp/", views.link_curp, name="link_curp"),
    path("curp/desvincular/", views.unlink_curp, name="unlink_curp"),
    path("seguridad/", views.security, name="security"),
    path("seguridad/sesiones/<int:session_id>/cerrar/", views.end_session, name="end_session"),
    path("seguridad/cerrar-todas/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("mis-datos/", views.my_data, name="my_data"),
    path("mis-datos/descargar/", views.download_data, name="download_data"),
    path("eliminar-cuenta/", views.close_account, name="close_account"),
    path("cuenta-eliminada/", views.account_closed, name="closed"),
    path("sistemas-conectados/<int:consent_id>/retirar/", oidc_views.revoke_consent, name="oidc_revoke_consent"),
]
