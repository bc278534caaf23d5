"""``seed_demo`` on a fresh database each time. Seeding again over a first seed is in ``test_seed_demo_again.py``
and the demo accounts in ``test_seed_demo_accounts.py``: there one seed per module is shared by every test."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from wagtail.models import Site

from portal.accounts.demo import DEMO_STAFF_AGENCIES
from portal.agencies.access import PORTAL_ADMINS_GROUP
from portal.agencies.management.demo_agencies import AGENCIES_FILE, do_load_agencies, read_agencies
from portal.agencies.models import Agency, Office
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

from .seeding import SERVICE, make_services_dir, seed, write_services


@pytest.fixture
def services_dir(tmp_path):
    return make_services_dir(tmp_path)


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
def test_demo_accounts_in_development_with_one_password(services_dir, settings):
    settings.DEBUG = True

    output = seed(services_dir)

    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    expected = {
        f"{prefix}.{acronym.lower()}"
        for prefix in ("editor", "aprobador", "tramitador", "ventanilla", "finanzas")
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
