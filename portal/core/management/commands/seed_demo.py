"""Load the demo portal: geography, Colima's postal codes, topics, life events, agencies, offices and services.

    python manage.py seed_demo [--force] [--with-accounts]

Idempotent. A checksum of every data file is kept in ``core.DataLoad``; when no file changed since the last load the
data steps are skipped (``--force`` loads anyway, still writing only what differs). Demo accounts are made only in
development (``DEBUG``) or with ``--with-accounts``: they share one documented password and must never exist in
production.
"""

from __future__ import annotations

import hashlib
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.models import Page, Site

from portal.accounts.actions import CurpClaim, do_add_verified_email, do_link_curp, do_set_phone
from portal.accounts.models import AssuranceLevel
from portal.accounts.queries import assurance_level
from portal.agencies.actions import do_grant_role, do_set_up_agency_workspace
from portal.agencies.management.demo_agencies import AGENCIES_FILE, AgencyDataError, do_load_agencies, read_agencies
from portal.agencies.models import Agency, Office, Role
from portal.applications.definitions.demo import load_demo_forms
from portal.core.models import DataLoad
from portal.geo.actions import do_load_package_settlements, do_load_reference_geography
from portal.geo.models import Municipality, State
from portal.geo.postal_catalogue import CatalogueError
from portal.geo.reference import DEMO_STATE_CODE, reference_geography_is_loaded
from portal.registry import queries as registry_queries
from portal.registry.actions import do_register_person
from portal.registry.demo import FIXED_PEOPLE
from portal.services.management.bulk import deferred_indexing, do_reindex, quiet_logger
from portal.services.management.demo_services import (
    DEMO_DATA_DIR,
    LIFE_EVENTS_FILE,
    TOPICS_FILE,
    ServiceDataError,
    do_load_services,
    do_load_taxonomy,
    read_service_files,
    read_taxonomy,
    service_files,
)
from portal.services.models import AgencyCataloguePage, CatalogueRootPage, LifeEvent, ServicePage, Topic

DATA_LOAD_NAME = "seed_demo"
# Bump when the loader itself changes what it writes, so that databases seeded by the old loader reload.
LOADER_VERSION = "1"
DEMO_PASSWORD = "Ventanilla-Demo-2026"  # noqa: S105 - documented development password, never used in production
DEMO_STAFF_AGENCIES = ("IMSS", "BIENESTAR", "SRE", "SAT", "GOBCOL")
DEMO_ROLES = (
    (Role.EDITOR, "editor"),
    (Role.APPROVER, "aprobador"),
    (Role.CASE_WORKER, "tramitador"),
    (Role.OFFICE_CLERK, "ventanilla"),
)
# A citizen with a verified e-mail and mobile («básica»), to try the online applications end to end.
DEMO_CITIZEN = ("ciudadana", "Ana María", "López Hernández", "+523121234567")
# A citizen «verificada», for the forms that require it: the registry's textbook person (HEGG560427MVZRRL04, one of
# ``registry.demo.FIXED_PEOPLE``), her CURP confirmed in person by a demo office clerk, as at a counter.
DEMO_VERIFIED_CITIZEN = ("verificada", "+523121234568", FIXED_PEOPLE[0])
WAGTAIL_DEFAULT_HOME_TITLE = "Welcome to your new Wagtail site!"


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
            default=AGENCIES_FILE,
            help="Archivo de instituciones y oficinas (por omisión, portal/agencies/demo_data/agencies.json).",
        )
        parser.add_argument(
            "--services-dir",
            type=Path,
            default=DEMO_DATA_DIR,
            help="Carpeta con los archivos de trámites en federal/, estatal/ y municipal/ (por omisión, la de demostración).",
        )

    def handle(
        self,
        *args,
        force: bool = False,
        with_accounts: bool = False,
        agencies_file: Path = AGENCIES_FILE,
        services_dir: Path = DEMO_DATA_DIR,
        **options,
    ) -> None:
        started = time.monotonic()
        self.quiet = options.get("verbosity", 1) == 0
        self.verbose = options.get("verbosity", 1) > 1
        self._ensure_site()
        paths = [agencies_file, TOPICS_FILE, LIFE_EVENTS_FILE, *service_files(services_dir)]
        checksum = data_checksum(paths)
        if not force and self._already_loaded(checksum):
            self._say(
                _("Los datos de demostración ya están cargados y ningún archivo cambió (use --force para recargar).")
            )
        else:
            try:
                with quiet_logger("wagtail", unless=self.verbose):
                    with deferred_indexing(), transaction.atomic():
                        homoclaves = self._load(paths, checksum)
                    self._reindex(homoclaves)
            except (AgencyDataError, ServiceDataError, CatalogueError) as error:
                raise CommandError(_("No se cargaron los datos de demostración:") + f"\n{error}") from error
        self._say(load_demo_forms().summary())
        if settings.DEBUG or with_accounts:
            self._accounts()
        else:
            self._say(
                _(
                    "Cuentas de demostración: no se crean con DEBUG apagado (use --with-accounts en un entorno de prueba)."
                )
            )
        self._say(_("Listo en %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    # --- steps ------------------------------------------------------------------------------------------------------

    def _load(self, paths: list[Path], checksum: str) -> list[str]:
        """``paths`` is the agencies, topics and life-events files followed by the service files."""
        if not reference_geography_is_loaded(State, Municipality):
            do_load_reference_geography()
            self._say(_("Entidades federativas y municipios de Colima cargados."))
        try:
            settlements = do_load_package_settlements(DEMO_STATE_CODE, progress=self._progress(_("Códigos postales")))
        except ImportError:
            self.stderr.write(
                _("Sin códigos postales: falta el paquete postalcodes-mexico (está en requirements.txt).")
            )
        else:
            self._say(
                _("Asentamientos de Colima: %(created)d nuevos, %(updated)d actualizados.")
                % {"created": settlements.created, "updated": settlements.updated}
            )
        topics = do_load_taxonomy(Topic, read_taxonomy(TOPICS_FILE))
        events = do_load_taxonomy(LifeEvent, read_taxonomy(LIFE_EVENTS_FILE))
        self._say(
            _("Temas: %(topics)d escritos; hechos de vida: %(events)d escritos.") % {"topics": topics, "events": events}
        )

        agencies = do_load_agencies(read_agencies(paths[0]))
        self._say(
            _("Instituciones: %(created)d nuevas, %(updated)d actualizadas; oficinas: %(offices)d nuevas.")
            % {"created": agencies.created, "updated": agencies.updated, "offices": agencies.offices_created}
        )
        for agency in self._progress(_("Espacios de trabajo"))(agencies.agencies):
            do_set_up_agency_workspace(agency)

        files = paths[3:]
        specs = read_service_files(files)
        services = do_load_services(specs, progress=self._progress(_("Trámites")))
        self._say(
            _(
                "Trámites de %(files)d archivos: %(created)d nuevos, %(updated)d actualizados, %(unchanged)d sin cambios."
            )
            % {
                "files": len(files),
                "created": services.created,
                "updated": services.updated,
                "unchanged": services.unchanged,
            }
        )
        DataLoad.objects.update_or_create(
            name=DATA_LOAD_NAME,
            defaults={
                "checksum": checksum,
                "details": {"agencies": len(agencies.agencies), "homoclaves": services.homoclaves},
            },
        )
        return services.homoclaves

    def _already_loaded(self, checksum: str) -> bool:
        """Same files as last time, and what they loaded is still there (nobody emptied the tables since)."""
        record = DataLoad.objects.filter(name=DATA_LOAD_NAME).first()
        if record is None or record.checksum != checksum:
            return False
        homoclaves = record.details.get("homoclaves", [])
        return (
            Agency.objects.count() >= record.details.get("agencies", 0)
            and ServicePage.objects.filter(homoclave__in=homoclaves, live=True).count() == len(homoclaves)
            and reference_geography_is_loaded(State, Municipality)
        )

    def _reindex(self, homoclaves: list[str]) -> None:
        """Search indexing was deferred during the load: index the catalogue pages once, then the site search."""
        indexed = do_reindex(
            [
                CatalogueRootPage.objects.all(),
                AgencyCataloguePage.objects.all(),
                ServicePage.objects.filter(homoclave__in=homoclaves),
            ],
            progress=self._progress(_("Índice de búsqueda")),
        )
        if indexed["portal"] is not None:
            self._say(_("Índice de búsqueda del portal reconstruido."))

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

    def _accounts(self) -> None:
        User = get_user_model()
        rows = []
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser(
                username="admin", email="admin@ventanilla.example", password=DEMO_PASSWORD
            )
        do_add_verified_email(admin, admin.email)
        rows.append((admin.email, _("Administración del portal (superusuario)"), "—"))
        agencies = {agency.acronym: agency for agency in Agency.objects.filter(acronym__in=DEMO_STAFF_AGENCIES)}
        for acronym in DEMO_STAFF_AGENCIES:
            agency = agencies.get(acronym)
            if agency is None:
                continue
            for role, prefix in DEMO_ROLES:
                username = f"{prefix}.{acronym.lower()}"
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = User.objects.create_user(
                        username=username, email=f"{username}@ventanilla.example", password=DEMO_PASSWORD
                    )
                do_add_verified_email(user, user.email)
                do_grant_role(user, agency, role)
                rows.append((user.email, str(Role(role).label), acronym))
        username, first_name, last_name, phone = DEMO_CITIZEN
        citizen = User.objects.filter(username=username).first()
        if citizen is None:
            citizen = User.objects.create_user(
                username=username,
                email=f"{username}@ventanilla.example",
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
            do_add_verified_email(citizen, citizen.email)
            do_set_phone(citizen, phone, verified=True)
        rows.append((citizen.email, _("Ciudadana (nivel de confianza básico)"), "—"))
        verified = self._verified_citizen()
        if verified is not None:
            rows.append((verified.email, _("Ciudadana verificada (CURP confirmada en ventanilla)"), "—"))
        self._print_accounts(rows)

    def _verified_citizen(self):
        """The «verificada» demo citizen: her registry record made sure of, her CURP confirmed in person at the first
        demo agency that has an office, by that agency's demo clerk (``do_link_curp`` with an office, as a counter
        does). None, with a note, when no demo agency has an office and clerk."""
        User = get_user_model()
        username, phone, record = DEMO_VERIFIED_CITIZEN
        user = User.objects.filter(username=username).first()
        if user is not None and assurance_level(user) == AssuranceLevel.VERIFIED:
            return user
        office = clerk = None
        for acronym in DEMO_STAFF_AGENCIES:  # IMSS first
            office = Office.objects.filter(agency__acronym=acronym).select_related("agency").order_by("pk").first()
            clerk = User.objects.filter(username=f"ventanilla.{acronym.lower()}").first()
            if office and clerk:
                break
        if not (office and clerk):
            self._say(_("Sin ciudadana verificada: ninguna institución de demostración tiene oficina y personal."))
            return None
        fields = ("given_names", "first_surname", "second_surname", "birth_date", "sex", "birth_state")
        found = registry_queries.find_by_personal_data(*(record[name] for name in fields))
        if found.ambiguous:
            self._say(_("Sin ciudadana verificada: el registro tiene homónimos de la persona de demostración."))
            return None
        # seed_registry also makes her, but it may not have run yet.
        person = found.person or do_register_person(**record)
        if user is None:
            user = User.objects.create_user(
                username=username, email=f"{username}@ventanilla.example", password=DEMO_PASSWORD
            )
            do_add_verified_email(user, user.email)
            do_set_phone(user, phone, verified=True)
        claim = CurpClaim(
            person.curp,
            person.given_names.title(),
            person.first_surname.title(),
            person.second_surname.title(),
            person.birth_date,
        )
        do_link_curp(user, claim, actor=clerk, office=office)
        return user

    def _print_accounts(self, rows) -> None:
        if self.quiet:
            return
        header = (_("Correo para entrar"), _("Rol"), _("Institución"))
        widths = [max(len(str(row[i])) for row in (*rows, header)) for i in range(3)]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write("")
        self.stdout.write(
            _("Cuentas de demostración (contraseña de desarrollo para todas: %(password)s)")
            % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(line.format(*header))
        self.stdout.write(line.format(*("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))

    # --- output -----------------------------------------------------------------------------------------------------

    def _say(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    def _progress(self, label: str):
        def wrap(items):
            # tqdm writes carriage returns; Django's OutputWrapper would add a newline after each.
            return tqdm(items, desc=label, disable=self.quiet, file=self.stderr._out)

        return wrap


def data_checksum(paths) -> str:
    """SHA-256 over the loader version, the postal-code package version and every file's name and content."""
    digest = hashlib.sha256()
    digest.update(f"loader={LOADER_VERSION};postalcodes-mexico={_package_version()}".encode())
    for path in sorted(paths):
        digest.update(
            str(path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path).encode()
        )
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _package_version() -> str:
    try:
        return metadata.version("postalcodes-mexico")
    except metadata.PackageNotFoundError:
        return "missing"
