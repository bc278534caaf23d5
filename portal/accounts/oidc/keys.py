"""The RSA key that signs ID tokens: read from the environment, or, for the embedded portal, made once under var/.

This module is imported by ``config/settings/base.py``, before Django is set up: it must not import Django models.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEVELOPMENT_KEY_FILENAME = "oidc-signing-key.pem"
MINIMUM_KEY_BITS = 2048


def check_signing_key(pem: str) -> None:
    """Raise ``ValueError`` unless ``pem`` is an unencrypted RSA private key of at least 2048 bits (RS256)."""
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a readable, unencrypted PEM private key ({error})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the key is not an RSA key; ID tokens are signed with RS256")
    if key.key_size < MINIMUM_KEY_BITS:
        raise ValueError(f"the RSA key has {key.key_size} bits; at least {MINIMUM_KEY_BITS} are required")


def _pem(value: str) -> str:
    # A PEM in a one-line environment variable usually arrives with literal «\n» for its line breaks.
    return value.replace("\\n", "\n").strip() + "\n" if value.strip() else ""


def key_from_environment(environ: os._Environ | dict[str, str] | None = None) -> str:
    """The PEM given by ``OIDC_RSA_PRIVATE_KEY`` (the key itself) or ``OIDC_RSA_PRIVATE_KEY_FILE`` (a path); else ''."""
    environ = os.environ if environ is None else environ
    inline = environ.get("OIDC_RSA_PRIVATE_KEY", "")
    if inline.strip():
        return _pem(inline)
    path = environ.get("OIDC_RSA_PRIVATE_KEY_FILE", "").strip()
    if path:
        return _pem(Path(path).read_text())
    return ""


def inactive_keys_from_environment(environ: os._Environ | dict[str, str] | None = None) -> list[str]:
    """Previous keys, still published in the JWKS so tokens they signed verify: ``OIDC_RSA_INACTIVE_KEY_FILES``."""
    environ = os.environ if environ is None else environ
    paths = [item.strip() for item in environ.get("OIDC_RSA_INACTIVE_KEY_FILES", "").split(",") if item.strip()]
    return [_pem(Path(path).read_text()) for path in paths]


def development_signing_key(var_dir: Path) -> str:
    """The embedded portal's key: generated the first time, then read from ``var_dir`` (never from the repository).

    Several processes may start at once (the web server and the worker, test workers): the key is written to a
    temporary file and linked into place, so exactly one of them creates it and every one reads the same key.
    """
    path = var_dir / DEVELOPMENT_KEY_FILENAME
    if path.exists():
        return path.read_text()
    key = rsa.generate_private_key(public_exponent=65537, key_size=MINIMUM_KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    var_dir.mkdir(parents=True, exist_ok=True)
    temporary = var_dir / f".{DEVELOPMENT_KEY_FILENAME}.{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process won the race: use its key
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text()
