"""The redirect URIs an agency registers for a system: one per line, absolute https, exact, no fragment.

DOT compares redirect URIs exactly; these rules make a bad registration fail at the form, in Spanish, instead of at
a citizen's sign-in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_REDIRECT_URIS = 10
MAX_URI_LENGTH = 500


def parse_redirect_uris(text: str) -> list[str]:
    """The URIs in ``text`` (one per line or separated by spaces), in order, without repeats.

    Raises ``ValidationError`` naming the first URI that is not acceptable and why.
    """
    uris: list[str] = []
    for uri in (text or "").split():
        if uri not in uris:
            check_redirect_uri(uri)
            uris.append(uri)
    if not uris:
        raise ValidationError(_("Escriba al menos una dirección de regreso."), code="required")
    if len(uris) > MAX_REDIRECT_URIS:
        raise ValidationError(
            _("Registre como máximo %(max)d direcciones de regreso.") % {"max": MAX_REDIRECT_URIS}, code="too_many"
        )
    return uris


def check_redirect_uri(uri: str) -> None:
    if len(uri) > MAX_URI_LENGTH:
        raise ValidationError(
            _("La dirección %(uri)s… es demasiado larga (máximo %(max)d caracteres).")
            % {"uri": uri[:40], "max": MAX_URI_LENGTH},
            code="too_long",
        )
    if any(ord(char) < 33 or ord(char) == 127 for char in uri) or "\\" in uri:
        raise ValidationError(
            _("La dirección %(uri)s tiene caracteres no permitidos.") % {"uri": uri}, code="characters"
        )
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        raise ValidationError(_("La dirección %(uri)s no es válida.") % {"uri": uri}, code="invalid") from None
    if parts.scheme != "https":
        raise ValidationError(
            _("La dirección %(uri)s debe empezar con https:// (las credenciales no viajan sin cifrar).") % {"uri": uri},
            code="scheme",
        )
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("La dirección %(uri)s debe llevar el nombre del servidor, sin usuario ni contraseña.") % {"uri": uri},
            code="host",
        )
    if "*" in uri:
        raise ValidationError(
            _("La dirección %(uri)s no puede llevar comodines (*): registre cada dirección completa.") % {"uri": uri},
            code="wildcard",
        )
    if parts.fragment or uri.endswith("#"):
        raise ValidationError(
            _("La dirección %(uri)s no puede llevar un fragmento (#…).") % {"uri": uri}, code="fragment"
        )
    if port == 0:
        raise ValidationError(_("La dirección %(uri)s no es válida.") % {"uri": uri}, code="invalid")
