import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from portal.agencies.tests.factories import make_agency, make_office
from portal.services.management.catalogue_generator import AgencyProfile, generate, is_generated_homoclave
from portal.services.management.demo_services import check_service
from portal.services.models import ServicePage
from portal.services.tests.factories import make_life_event, make_service, make_topic

PROFILES = [
    AgencyProfile("IMSS", "Instituto Mexicano del Seguro Social", "IMSS", "federal", "https://www.gob.mx/imss",
                  "800 623 2323", "", ("Delegación Colima", "Subdelegación Manzanillo"), ("seguridad-social", "salud")),
    AgencyProfile("AYCOLIMA", "Ayuntamiento de Colima", "Municipio de Colima", "municipal", "", "", "Colima",
                  ("Presidencia Municipal",), ("vivienda", "empresas", "impuestos")),
]  # fmt: skip
TOPICS = {"seguridad-social", "salud", "vivienda", "empresas", "impuestos"}
EVENTS = {"jubilarse", "comprar-una-vivienda", "abrir-una-empresa", "mudarse", "tener-un-bebe"}


class _Agency:
    def __init__(self, acronym):
        self.acronym = acronym


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_another():
    first = generate(PROFILES, 50, seed=7, life_events=EVENTS)
    again = generate(PROFILES, 50, seed=7, life_events=EVENTS)
    other = generate(PROFILES, 50, seed=8, life_events=EVENTS)
    assert [s.data for s in first] == [s.data for s in again]
    assert [s.data for s in first] != [s.data for s in other]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_generated_service_passes_the_data_file_checks(seed):
    for service in generate(PROFILES, 40, seed=seed, life_events=EVENTS):
        profile = next(p for p in PROFILES if p.acronym == service.agency)
        _spec, problems = check_service(
            service.data, _Agency(profile.acronym), set(profile.office_names), TOPICS, EVENTS
        )
        assert problems == [], (service.data["homoclave"], problems)


def test_homoclaves_are_unique_use_kinds_50_to_99_and_skip_used_ones():
    used = {f"IMSS-{kind}-001" for kind in range(50, 100)}
    services = generate(PROFILES, 300, seed=1, used_homoclaves=used, life_events=EVENTS)
    homoclaves = [service.data["homoclave"] for service in services]
    assert len(set(homoclaves)) == 300
    assert not used & set(homoclaves)
    assert all(is_generated_homoclave(h) and 50 <= int(h.split("-")[1]) <= 99 for h in homoclaves)
    assert not is_generated_homoclave("IMSS-02-008") and not is_generated_homoclave("IMSS-49-001")


def test_the_catalogue_is_varied():
    data = [service.data for service in generate(PROFILES, 400, seed=3, life_events=EVENTS)]
    assert len({d["title"] for d in data}) > 250
    free = sum(1 for d in data if not d["fees"])
    assert 0.35 * len(data) < free < 0.75 * len(data)
    assert {d["silence_rule"] for d in data} == {"afirmativa", "negativa", "no_aplica"}
    assert {d["digitization"] for d in data} == {1, 2, 3, 4, 5}
    volumes = sorted(d["annual_volume"] for d in data)
    assert volumes[0] < 200 and volumes[-1] > 50_000


@pytest.fixture
def catalogue(db):
    for slug in TOPICS:
        make_topic(slug.replace("-", " ").capitalize(), slug)
    for slug in EVENTS:
        make_life_event(slug, slug)
    imss = make_agency("IMSS", name="Instituto Mexicano del Seguro Social")
    make_office(imss, "Delegación Colima")
    make_office(imss, "Subdelegación Manzanillo")
    sat = make_agency("SAT", name="Servicio de Administración Tributaria")
    make_office(sat, "Oficina de Servicios al Contribuyente Colima")
    real = make_service(imss, homoclave="IMSS-02-008", title="Cambio de clínica")
    return real


def run(*args) -> str:
    out = io.StringIO()
    call_command("generate_catalogue", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_publishes_generated_services_in_a_consistent_tree(catalogue, client):
    output = run("--count", "120", "--seed", "5")

    assert "Trámites generados: 120." in output
    generated = ServicePage.objects.exclude(pk=catalogue.pk)
    assert generated.count() == 120
    assert Page.find_problems() == ([], [], [], [], [])
    page = generated.filter(offices__isnull=False).order_by("homoclave").first()
    assert page.live and page.get_parent().specific.agency == page.agency
    assert page.url_path == f"{page.get_parent().url_path}{page.homoclave.lower()}/"
    assert client.get(f"/tramites/{page.homoclave}/").status_code == 200
    assert ServicePage.objects.live().search(page.title).count() >= 1


def test_generating_again_adds_new_homoclaves(catalogue):
    run("--count", "30", "--seed", "5")
    run("--count", "30", "--seed", "5")
    homoclaves = list(ServicePage.objects.values_list("homoclave", flat=True))
    assert len(homoclaves) == len(set(homoclaves)) == 61


def test_delete_removes_only_generated_services(catalogue):
    run("--count", "40")

    output = run("--delete")

    assert "Trámites generados borrados: 40." in output
    assert list(ServicePage.objects.values_list("homoclave", flat=True)) == ["IMSS-02-008"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_generating_needs_the_demo_agencies_first(db):
    with pytest.raises(CommandError, match="seed_demo"):
        run("--count", "5")


def test_count_must_be_positive(catalogue):
    with pytest.raises(CommandError, match="--count"):
        run("--count", "0")
