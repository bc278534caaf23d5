"""The demo app is a development tool: production settings never install it, so its command does not exist there."""

import json
import os
import subprocess
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from config.settings.base import BASE_DIR

PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import get_commands
print(json.dumps({
    "installed": "portal.demo" in settings.INSTALLED_APPS,
    "imported": sorted(name for name in sys.modules if name == "portal.demo" or name.startswith("portal.demo.")),
    "seed_demo": "seed_demo" in get_commands(),
    "run_scheduler": "run_scheduler" in get_commands(),
}))
"""


def _settings_probe(module: str, **env) -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": os.urandom(40).hex(),
        "OIDC_RSA_PRIVATE_KEY": key.decode(),
        **env,
    }
    environment.pop("DEBUG", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_do_not_install_or_import_the_demo_app():
    probe = _settings_probe("config.settings.production")

    assert probe == {"installed": False, "imported": [], "seed_demo": False, "run_scheduler": True}


def test_development_settings_install_the_demo_seed():
    probe = _settings_probe("config.settings.dev")

    assert probe["installed"] and probe["seed_demo"]


def test_the_test_settings_install_the_demo_app():
    assert "portal.demo" in settings.INSTALLED_APPS
