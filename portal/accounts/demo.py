"""The accounts' part of ``manage.py seed_demo``: demo staff of five agencies, the focal points of one, a member of
the digital government unit, two citizens, the administrator.

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
Demo accounts are made only in development (``DEBUG``) or with ``--with-accounts``: they share one documented
password and must never exist in production (which does not install the demo app).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.agencies.actions import do_grant_portal_admin, do_grant_role

# Exception to "other apps reach a domain through its actions and queries" (listed in pyproject.toml): the demo
# staff need the agencies by acronym, inactive ones included, and an office by creation order.
from portal.agencies.models import Agency, Office, Role
from portal.registry import queries as registry_queries
from portal.registry.actions import do_register_person
from portal.registry.demo import FIXED_PEOPLE

from .actions import CurpClaim, do_add_verified_email, do_link_curp, do_set_phone
from .models import AssuranceLevel, CurpConfirmationMethod, Profile
from .queries import assurance_level

# The staff's roles come from agencies, the verified citizen's record from registry; the table of accounts ends the
# output, after the forms they are there to try.
DEMO_AFTER = ("agencies", "online_forms")
DEMO_PASSWORD = "Ventanilla-Demo-2026"  # noqa: S105 - documented development password, never used in production
DEMO_STAFF_AGENCIES = ("IMSS", "BIENESTAR", "SRE", "SAT", "GOBCOL")
DEMO_ROLES = (
    (Role.EDITOR, "editor"),
    (Role.APPROVER, "aprobador"),
    (Role.CASE_WORKER, "tramitador"),
    (Role.OFFICE_CLERK, "ventanilla"),
    # Reconciles the entity's statements, works the differences, refunds and closes the day at /oficina/pagos/
    # (docs/payments-reconciliation.md).
    (Role.FINANCE, "finanzas"),
)
# The four focal points («enlaces») of one entity, to try the review of its site: each prepares and sends to review,
# an approver publishes (docs/staff-roles.md).
DEMO_FOCAL_POINT_AGENCY = "IMSS"
DEMO_FOCAL_POINTS = (
    (Role.CONTENT, "contenidos"),
    (Role.DIGITAL_COMMUNICATION, "comunicacion"),
    (Role.OPERATIONS, "operacion"),
    (Role.SOCIAL_NETWORKS, "redes"),
)
# A member of the digital government unit who is not a superuser: reviews and publishes any entity's pages, and
# publishes urgently with a reason.
DEMO_UNIT = ("unidad", "Rosa", "Iturbide Calles")
# Names for the demo staff (fictitious), so the back office shows colleagues by name as it does in production.
DEMO_STAFF_NAMES = (
    ("Laura", "Méndez Ortiz"),
    ("Jorge", "Ramírez Salas"),
    ("Claudia", "Torres Vega"),
    ("Miguel", "Ochoa Ríos"),
    ("Patricia", "Navarro Cruz"),
    ("Ricardo", "Villalobos Peña"),
    ("Verónica", "Castañeda Ruiz"),
    ("Alberto", "Guzmán Lara"),
    ("Silvia", "Cervantes Mora"),
    ("Fernando", "Aguilar Soto"),
    ("Mónica", "Delgado Ibarra"),
    ("Héctor", "Fuentes Arias"),
    ("Adriana", "Rosales Mejía"),
    ("Raúl", "Esquivel Durán"),
    ("Teresa", "Zamora Pineda"),
    ("Daniel", "Bautista Olvera"),
    ("Gabriela", "Sandoval Reyes"),
    ("Óscar", "Montes Valdez"),
    ("Lucía", "Herrera Campos"),
    ("Arturo", "Padilla Núñez"),
)
# A citizen with a verified e-mail and mobile («básica»), to try the online applications end to end.
DEMO_CITIZEN = ("ciudadana", "Ana María", "López Hernández", "+523121234567")
# A citizen «verificada», for the forms that require it: the registry's textbook person (HEGG560427MVZRRL04, one of
# ``registry.demo.FIXED_PEOPLE``), her CURP confirmed in person by a demo office clerk, as at a counter.
DEMO_VERIFIED_CITIZEN = ("verificada", "+523121234568", FIXED_PEOPLE[0])


def load_demo(seed) -> None:
    if settings.DEBUG or seed.with_accounts:
        _accounts(seed)
    else:
        seed.say(
            _("Cuentas de demostración: no se crean con DEBUG apagado (use --with-accounts en un entorno de prueba).")
        )


def _demo_user(username: str, first_name: str, last_name: str):
    """The demo account ``username`` (created with the documented password), and whether it was created now; an
    existing one without a name gets this one."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@ventanilla.example",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        return user, True
    if not user.first_name and not user.last_name:
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return user, False


def _accounts(seed) -> None:
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
            first_name, last_name = DEMO_STAFF_NAMES[len(rows) % len(DEMO_STAFF_NAMES)]
            user, _created = _demo_user(username, first_name, last_name)
            do_add_verified_email(user, user.email)
            do_grant_role(user, agency, role)
            rows.append((user.email, str(Role(role).label), acronym))
    focal_agency = agencies.get(DEMO_FOCAL_POINT_AGENCY)
    if focal_agency is not None:
        for role, prefix in DEMO_FOCAL_POINTS:
            first_name, last_name = DEMO_STAFF_NAMES[len(rows) % len(DEMO_STAFF_NAMES)]
            user, _created = _demo_user(f"{prefix}.{focal_agency.acronym.lower()}", first_name, last_name)
            do_add_verified_email(user, user.email)
            do_grant_role(user, focal_agency, role)
            rows.append((user.email, str(Role(role).label), focal_agency.acronym))
    unit, _created = _demo_user(*DEMO_UNIT)
    do_add_verified_email(unit, unit.email)
    do_grant_portal_admin(unit)
    rows.append((unit.email, _("Unidad de gobierno digital (administración del portal)"), "—"))
    username, first_name, last_name, phone = DEMO_CITIZEN
    citizen, created = _demo_user(username, first_name, last_name)
    if created:
        do_add_verified_email(citizen, citizen.email)
        do_set_phone(citizen, phone, verified=True)
    rows.append((citizen.email, _("Ciudadana (nivel de confianza básico)"), "—"))
    verified = _verified_citizen(seed)
    if verified is not None:
        rows.append((verified.email, _("Ciudadana verificada (CURP confirmada en ventanilla)"), "—"))
    _print_accounts(seed, rows)


def _verified_citizen(seed):
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
        seed.say(_("Sin ciudadana verificada: ninguna institución de demostración tiene oficina y personal."))
        return None
    fields = ("given_names", "first_surname", "second_surname", "birth_date", "sex", "birth_state")
    found = registry_queries.find_by_personal_data(*(record[name] for name in fields))
    if found.ambiguous:
        seed.say(_("Sin ciudadana verificada: el registro tiene homónimos de la persona de demostración."))
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


def demo_verified_account(username: str, first_name: str, last_name: str, number: int):
    """A demo account «verificada» in one step, for the crowds of other apps' demos (Participa's supporters): its
    CURP is a synthetic key no registry person has (``DEMO`` + the number), recorded as confirmed at a counter.
    Only demo data: real accounts are verified through ``do_link_curp``. Idempotent."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=f"{username}@ventanilla.example",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        do_add_verified_email(user, user.email)
    if assurance_level(user) != AssuranceLevel.VERIFIED:
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "curp": f"DEMO{number:06d}HDFRRN{number % 100:02d}"[:18],
                "curp_confirmed_at": timezone.now(),
                "curp_confirmation_method": CurpConfirmationMethod.IN_PERSON,
            },
        )
    return user


def _print_accounts(seed, rows) -> None:
    if seed.quiet:
        return
    header = (_("Correo para entrar"), _("Rol"), _("Institución"))
    widths = [max(len(str(row[i])) for row in (*rows, header)) for i in range(3)]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    seed.stdout.write("")
    seed.stdout.write(
        _("Cuentas de demostración (contraseña de desarrollo para todas: %(password)s)") % {"password": DEMO_PASSWORD}
    )
    seed.stdout.write(line.format(*header))
    seed.stdout.write(line.format(*("-" * width for width in widths)))
    for row in rows:
        seed.stdout.write(line.format(*row))
