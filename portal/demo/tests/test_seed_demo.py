import copy
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Revision, Site

from portal.accounts.demo import DEMO_STAFF_AGENCIES
from portal.agencies.access import PORTAL_ADMINS_GROUP
from portal.agencies.management.demo_agencies import AGENCIES_FILE, do_load_agencies, read_agencies
from portal.agencies.models import Agency, Office, StaffRole
from portal.core.models import DataLoad
from portal.geo.models import Settlement
from portal.services.management.demo_services import (
    LIFE_EVENTS_FILE,
    TOPICS_FILE,
    do_load_taxonomy,
    read_service_files,
    read_taxonomy,
    service_files,
)
from portal.services.models import AgencyCataloguePage, LifeEvent, ServicePage, Topic

SERVICE = {
    "homoclave": "SAT-01-001",
    "title": "Inscripción al RFC de personas físicas",
    "description": "Obtén tu Registro Federal de Contribuyentes para trabajar, facturar y declarar impuestos.",
    "result": "Constancia de Situación Fiscal",
    "audience": "persona",
    "cases": [],
    "requirements": [{"document": "CURP", "presentation": "dato", "copies": None, "conditions": ""}],
    "steps": ["Ingresa al portal del SAT", "Captura tu CURP", "Descarga tu constancia"],
    "formats": [],
    "legal_basis": [{"law": "Código Fiscal de la Federación", "articles": "Artículo 27", "url": ""}],
    "online_url": "https://www.sat.gob.mx/",
    "in_person": True,
    "phone_channel": "55 627 22 728",
    "fees": [],
    "payment_info": "",
    "resolution_days": 0,
    "silence_rule": "no_aplica",
    "validity": "Indefinida",
    "offices": "all",
    "contact": "MarcaSAT 55 627 22 728",
    "complaints": "Quejas y denuncias SAT",
    "topics": ["impuestos"],
    "life_events": ["mayoria-de-edad", "abrir-una-empresa"],
    "digitization": 5,
    "annual_volume": 2500000,
    "citizen_minutes": 20,
    "keywords": "rfc, alta en hacienda",
}


def write_services(base, acronym, services, level):
    folder = base / level
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{acronym}.json").write_text(json.dumps({"agency": acronym, "services": services}), "utf-8")


SMALL_SET = ("SHCP", "SAT", "SSA", "IMSS", "SRE", "GOBCOL")


@pytest.fixture
def agencies_file(tmp_path):
    """A few agencies of the demo file: setting up 83 CMS workspaces per test would make the suite crawl."""
    data = json.loads(AGENCIES_FILE.read_text(encoding="utf-8"))
    data["agencies"] = [entry for entry in data["agencies"] if entry["acronym"] in SMALL_SET]
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def services_dir(tmp_path, agencies_file):
    gobcol = copy.deepcopy(SERVICE) | {
        "homoclave": "GOBCOL-01-001",
        "title": "Apostilla de documentos",
        "online_url": "",
        "digitization": 1,
        "resolution_days": 3,
        "silence_rule": "negativa",
        "offices": ["Palacio de Gobierno"],
        "fees": [{"concept": "Apostilla por documento", "amount_centavos": 52000}],
        "payment_info": "En la Recaudadora de Rentas",
    }
    write_services(tmp_path, "SAT", [SERVICE, {**SERVICE, "homoclave": "SAT-01-002", "title": "e.firma"}], "federal")
    write_services(tmp_path, "GOBCOL", [gobcol], "estatal")
    return tmp_path


def seed(services_dir, *args, agencies_file=None) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        *args,
        services_dir=services_dir,
        agencies_file=agencies_file or services_dir / "agencies.json",
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def counts() -> dict:
    return {
        "agencies": Agency.objects.count(),
        "offices": Office.objects.count(),
        "services": ServicePage.objects.count(),
        "topics": Topic.objects.count(),
        "life_events": LifeEvent.objects.count(),
        "settlements": Settlement.objects.count(),
        "revisions": Revision.objects.count(),
    }


@pytest.mark.django_db
def test_seed_loads_agencies_offices_topics_and_services(services_dir):
    seed(services_dir, agencies_file=AGENCIES_FILE)

    # The 83 of the file, and the former entity the sites' demo makes to show a merger (sites/demo_history.py).
    assert Agency.objects.count() == 84 and Agency.objects.active().count() == 83
    assert not Agency.objects.get(acronym="CONAC").is_active
    assert AgencyCataloguePage.objects.count() == 84
    assert Topic.objects.count() == 16 and LifeEvent.objects.count() == 12
    assert Settlement.objects.filter(postal_code="28000", name="Colima Centro").exists()
    rfc = ServicePage.objects.get(homoclave="SAT-01-001")
    assert rfc.live and rfc.agency.acronym == "SAT"
    assert rfc.offices.count() == Office.objects.filter(agency__acronym="SAT").count() == 3
    apostille = ServicePage.objects.get(homoclave="GOBCOL-01-001")
    assert apostille.lowest_fee_centavos == 52000
    assert [office.name for office in apostille.offices.all()] == ["Palacio de Gobierno"]
    assert Agency.objects.get(acronym="IMSS").catalogue_page.title == "Instituto Mexicano del Seguro Social"


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_and_skips_by_checksum(services_dir):
    seed(services_dir)
    before = counts()

    output = seed(services_dir)

    assert "ningún archivo cambió" in output
    assert counts() == before


@pytest.mark.django_db
def test_forced_reseed_writes_no_new_revision(services_dir):
    seed(services_dir)
    before = counts()

    output = seed(services_dir, "--force")

    assert "0 nuevos, 0 actualizados, 3 sin cambios" in output
    assert counts() == before


@pytest.mark.django_db
def test_a_changed_file_is_reloaded_without_force(services_dir):
    seed(services_dir)
    write_services(services_dir, "SAT", [{**SERVICE, "title": "Inscripción al RFC"}], "federal")

    output = seed(services_dir)

    assert "0 nuevos, 1 actualizados" in output
    assert ServicePage.objects.get(homoclave="SAT-01-001").title == "Inscripción al RFC"


@pytest.mark.django_db
def test_an_emptied_catalogue_is_reloaded_even_with_the_same_files(services_dir):
    seed(services_dir)
    for page in ServicePage.objects.all():
        page.delete()

    seed(services_dir)

    assert ServicePage.objects.count() == 3


@pytest.mark.django_db
def test_a_broken_service_file_stops_the_seed_naming_file_and_homoclave(services_dir):
    write_services(services_dir, "SAT", [{**SERVICE, "resolution_days": 20}], "federal")

    with pytest.raises(CommandError) as error:
        seed(services_dir)

    assert "federal/SAT.json · SAT-01-001: silence_rule «no_aplica» solo vale con resolución inmediata" in str(
        error.value
    )
    assert not ServicePage.objects.exists()
    assert not DataLoad.objects.exists()


@pytest.mark.django_db
def test_no_demo_accounts_without_debug_or_flag(services_dir, settings):
    settings.DEBUG = False

    output = seed(services_dir)

    assert not get_user_model().objects.exists()
    assert "no se crean con DEBUG apagado" in output


@pytest.mark.django_db
def test_demo_accounts_in_development_with_one_password(services_dir, settings):
    settings.DEBUG = True

    output = seed(services_dir)

    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    expected = {
        f"{prefix}.{acronym.lower()}"
        for prefix in ("editor", "aprobador", "tramitador", "ventanilla")
        for acronym in Agency.objects.filter(acronym__in=DEMO_STAFF_AGENCIES).values_list("acronym", flat=True)
    } | {"ciudadana", "verificada", "unidad"}
    expected |= {f"{prefix}.imss" for prefix in ("contenidos", "comunicacion", "operacion", "redes")}
    assert len(expected) >= 21
    # Participa's loaders add their own staff and people (portal/participation/demo.py and its parts' demo.py, tested
    # there): peticiones.*, peticionaria.*, participacion.<siglas>, participante.*, proposals.*, apoyo.*,
    # moderacion.participa; and Denuncia's investigators, investigacion.<siglas> (portal/reports/demo.py).
    others = users.exclude(username="admin").exclude(username__startswith="peticion")
    others = others.exclude(username__startswith="investigacion.")
    others = others.exclude(username__startswith="participa").exclude(username__startswith="apoyo.")
    others = others.exclude(username="moderacion.participa").exclude(username__startswith="proposals.")
    # The appointments' demo citizens, cita.01 to cita.12 (portal/appointments/demo.py).
    others = others.exclude(username__startswith="cita.")
    assert set(others.values_list("username", flat=True)) == expected
    citizen = users.get(username="ciudadana")
    assert not citizen.is_staff and citizen.account_profile.phone_verified
    assert all(user.check_password("Ventanilla-Demo-2026") for user in users.all())
    assert "Ventanilla-Demo-2026" in output and "aprobador.gobcol" in output
    # Staff have names: the back office shows colleagues by name, never by e-mail.
    staff = users.exclude(username__in=["admin", "ciudadana", "verificada"])
    assert all(user.get_full_name().strip() for user in staff)
    # The focal points prepare the IMSS site and send it to review; the unit reviews and publishes anywhere.
    content = users.get(username="contenidos.imss")
    assert {role.role for role in content.staff_roles.all()} == {"content"}
    assert users.get(username="unidad").groups.filter(name=PORTAL_ADMINS_GROUP).exists()


@pytest.mark.django_db
def test_a_demo_citizen_is_verified_to_try_the_forms_that_require_it(services_dir):
    from portal.accounts.models import AssuranceLevel, CurpConfirmationMethod
    from portal.accounts.queries import assurance_level
    from portal.registry.models import Person

    output = seed(services_dir, "--with-accounts")
    seed(services_dir, "--with-accounts")  # a second run keeps her as she is

    verified = get_user_model().objects.get(username="verificada")
    assert assurance_level(verified) == AssuranceLevel.VERIFIED
    profile = verified.account_profile
    assert profile.curp == "HEGG560427MVZRRL04"
    assert profile.curp_confirmation_method == CurpConfirmationMethod.IN_PERSON
    assert Person.objects.filter(curp="HEGG560427MVZRRL04").count() == 1
    assert verified.check_password("Ventanilla-Demo-2026")
    assert "verificada@ventanilla.example" in output
    # The other demo citizen stays «básica», for the forms that ask no more.
    assert assurance_level(get_user_model().objects.get(username="ciudadana")) == AssuranceLevel.BASIC


@pytest.mark.django_db
def test_an_imss_editor_gets_the_imss_groups_only(services_dir):
    seed(services_dir, "--with-accounts")

    editor = get_user_model().objects.get(username="editor.imss")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["IMSS · Editores"]
    assert StaffRole.objects.get(user=editor).agency.acronym == "IMSS"
    approver = get_user_model().objects.get(username="aprobador.imss")
    assert list(approver.groups.values_list("name", flat=True)) == ["IMSS · Aprobadores"]


@pytest.mark.django_db
def test_accounts_are_not_duplicated_and_keep_their_password(services_dir):
    seed(services_dir, "--with-accounts")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("otra-contraseña-larga")
    admin.save()

    seed(services_dir, "--with-accounts")

    assert get_user_model().objects.filter(username="admin").count() == 1
    admin.refresh_from_db()
    assert admin.check_password("otra-contraseña-larga")


@pytest.mark.django_db
def test_the_default_site_points_at_the_portal_address_and_is_called_ventanilla(services_dir, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"

    seed(services_dir)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == ("127.0.0.1", 8000, "Ventanilla")
    assert site.root_page.title == "Ventanilla"


@pytest.mark.django_db
def test_every_demo_service_file_in_the_repository_is_valid():
    do_load_taxonomy(Topic, read_taxonomy(TOPICS_FILE))
    do_load_taxonomy(LifeEvent, read_taxonomy(LIFE_EVENTS_FILE))
    do_load_agencies(read_agencies(AGENCIES_FILE))

    specs = read_service_files(service_files())

    assert len({spec.homoclave for spec in specs}) == len(specs)
