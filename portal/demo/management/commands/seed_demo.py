"""Load the demo portal: each installed app's demo loader, in the order they declare (``portal/demo/loaders.py``).

    python manage.py seed_demo [--force] [--with-accounts]

Idempotent. A checksum of every data file the loaders name is recorded (``portal.core.actions``); when no file changed
since the last load the catalogue steps are skipped (``--force`` loads anyway, still writing only what differs). Demo
accounts are made only in development (``DEBUG``) or with ``--with-accounts``: they share one documented password and
must never exist in production, which does not install this app.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from portal.core.actions import check_data_load_current, do_record_data_load

from ... import loaders
from ...seed import Seed

DATA_LOAD_NAME = "seed_demo"
# Bump when the seed itself changes what it writes, so that databases seeded by the old one reload.
LOADER_VERSION = "2"
WAGTAIL_DEFAULT_HOME_TITLE = "Welcome to your new Wagtail site!"
DUMMY_TASKS_BACKEND = "django_tasks.backends.dummy.DummyBackend"


class Command(BaseCommand):
    help = "Carga los datos de demostración (catálogo, instituciones, oficinas) y, en desarrollo, cuentas de prueba."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Cargar aunque ningún archivo haya cambiado.")
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Crear las cuentas de demostración aunque DEBUG esté apagado (nunca en producción).",
        )
        parser.add_argument(
            "--agencies-file",
            type=Path,
            default=None,
            help="Archivo de instituciones y oficinas (por omisión, portal/agencies/demo_data/agencies.json).",
        )
        parser.add_argument(
            "--services-dir",
            type=Path,
            default=None,
            help="Carpeta con los archivos de trámites en federal/, estatal/ y municipal/ (por omisión, la de demostración).",
        )

    def handle(
        self,
        *args,
        force: bool = False,
        with_accounts: bool = False,
        agencies_file: Path | None = None,
        services_dir: Path | None = None,
        **options,
    ) -> None:
        started = time.monotonic()
        seed = Seed(
            stdout=self.stdout,
            stderr=self.stderr,
            verbosity=options.get("verbosity", 1),
            force=force,
            with_accounts=with_accounts,
            agencies_file=agencies_file,
            services_dir=services_dir,
        )
        steps = loaders.registered()
        self._ensure_site()
        with quiet_logger("wagtail", unless=seed.verbose):
            checksum = data_checksum(
                [
                    source
                    for loader in steps
                    if loader.hook("demo_sources")
                    for source in loader.hook("demo_sources")(seed)
                ]
            )
            if not force and self._already_loaded(steps, checksum):
                seed.say(
                    _(
                        "Los datos de demostración ya están cargados y ningún archivo cambió (use --force para recargar)."
                    )
                )
            else:
                self._load_catalogue(steps, seed, checksum)
            for loader in steps:
                if loader.hook("load_demo"):
                    loader.hook("load_demo")(seed)
        seed.say(_("Listo en %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def _already_loaded(self, steps: list[loaders.Loader], checksum: str) -> bool:
        """Same files as last time, and what they loaded is still there (nobody emptied the tables since)."""
        details = check_data_load_current(DATA_LOAD_NAME, checksum)
        if details is None:
            return False
        return all(loader.hook("demo_still_loaded")(details) for loader in steps if loader.hook("demo_still_loaded"))

    def _load_catalogue(self, steps: list[loaders.Loader], seed: Seed, checksum: str) -> None:
        """Every loader's catalogue step in one transaction; a wrong data file leaves the database as it was."""
        errors = tuple(error for loader in steps for error in loader.errors)
        try:
            with dropped_tasks(), transaction.atomic():
                for loader in steps:
                    if loader.hook("load_demo_catalogue"):
                        loader.hook("load_demo_catalogue")(seed)
                do_record_data_load(DATA_LOAD_NAME, checksum, seed.details)
        except errors as error:
            raise CommandError(_("No se cargaron los datos de demostración:") + f"\n{error}") from error
        seed.catalogue_loaded = True

    @transaction.atomic
    def _ensure_site(self) -> None:
        """The default Wagtail site at PORTAL_BASE_URL, its root page titled «Ventanilla»."""
        address = urlsplit(settings.PORTAL_BASE_URL)
        hostname = address.hostname or "127.0.0.1"
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            root = Page.get_first_root_node()
            home = root.get_children().exclude(slug="catalogo").first() or root.add_child(
                instance=Page(title="Ventanilla", slug="inicio")
            )
            site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
        changed = {}
        if site.hostname != hostname or site.port != port or site.site_name != settings.WAGTAIL_SITE_NAME:
            changed = {"hostname": hostname, "port": port, "site_name": settings.WAGTAIL_SITE_NAME}
        if changed:
            Site.objects.filter(pk=site.pk).update(**changed)
        home = site.root_page
        if home.title == WAGTAIL_DEFAULT_HOME_TITLE:
            home.title = home.draft_title = "Ventanilla"
            home.save(update_fields=["title", "draft_title"])


@contextmanager
def dropped_tasks():
    """Drop every task enqueued inside the block: the loaders write thousands of pages, and each would enqueue its
    search indexing; they rebuild the index once afterwards instead (the services loader's ``load_demo``)."""
    tasks = {alias: {**config, "BACKEND": DUMMY_TASKS_BACKEND} for alias, config in settings.TASKS.items()}
    # override_settings sends setting_changed, on which django_tasks rebuilds its backends; it restores them after.
    with override_settings(TASKS=tasks):
        yield


@contextmanager
def quiet_logger(name: str, unless: bool = False):
    """Silence a logger's INFO lines for the block (Wagtail logs every page it creates and publishes)."""
    logger = logging.getLogger(name)
    previous = logger.level
    if not unless:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


def data_checksum(sources) -> str:
    """SHA-256 over the seed's version and every source: a version string, or a file's name and content."""
    digest = hashlib.sha256()
    digest.update(f"loader={LOADER_VERSION}".encode())
    paths = sorted(source for source in sources if isinstance(source, Path))
    for version in sorted(source for source in sources if not isinstance(source, Path)):
        digest.update(f";{version}".encode())
    for path in paths:
        digest.update(
            str(path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path).encode()
        )
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
