"""allauth's pages under /cuenta/, with Spanish addresses for the ones people see and type.

allauth's own (English) paths stay reachable, so nothing allauth links to can break; the Spanish ones are listed after
them so that ``reverse()``, which picks the last pattern of a name, links to the Spanish address.
"""

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.urls import include, path

from . import mfa_views as second_factor_setup

urlpatterns = [
    path("", include("allauth.urls")),
    path("entrar/", account_views.login, name="account_login"),
    path("salir/", account_views.logout, name="account_logout"),
    path("registro/", account_views.signup, name="account_signup"),
    path("correo/", account_views.email, name="account_email"),
    path("correo/verificar/", account_views.email_verification_sent, name="account_email_verification_sent"),
    path("celular/", account_views.change_phone, name="account_change_phone"),
    path("celular/verificar/", account_views.verify_phone, name="account_verify_phone"),
    path("contrasena/cambiar/", account_views.password_change, name="account_change_password"),
    path("contrasena/restablecer/", account_views.password_reset, name="account_reset_password"),
    path(
        "contrasena/restablecer/codigo/",
        account_views.confirm_password_reset_code,
        name="account_confirm_password_reset_code",
    ),
    path(
        "contrasena/restablecer/nueva/", account_views.complete_password_reset, name="account_complete_password_reset"
    ),
    path(
        "contrasena/restablecer/listo/",
        account_views.password_reset_from_key_done,
        name="account_password_reset_completed",
    ),
    path("confirmar-identidad/", account_views.reauthenticate, name="account_reauthenticate"),
    path("dos-pasos/", mfa_views.index, name="mfa_index"),
    path("dos-pasos/codigo/", mfa_views.authenticate, name="mfa_authenticate"),
    path("dos-pasos/confirmar-identidad/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("dos-pasos/aplicacion/activar/", second_factor_setup.activate_totp, name="mfa_activate_totp"),
    path("dos-pasos/aplicacion/desactivar/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path("dos-pasos/codigos-de-recuperacion/", recovery_views.view_recovery_codes, name="mfa_view_recovery_codes"),
    path(
        "dos-pasos/codigos-de-recuperacion/generar/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "dos-pasos/codigos-de-recuperacion/descargar/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("dos-pasos/llaves/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("dos-pasos/llaves/agregar/", second_factor_setup.add_webauthn, name="mfa_add_webauthn"),
]
