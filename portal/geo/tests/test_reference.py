import importlib
import zoneinfo

import pytest
from django.apps import apps

from portal.geo.actions import do_load_reference_geography
from portal.geo.models import Municipality, Settlement, State
from portal.geo.reference import COLIMA_MUNICIPALITIES, STATES, reference_geography_is_loaded

migration = importlib.import_module("portal.geo.migrations.0002_load_states_and_colima_municipalities")


@pytest.mark.django_db
def test_migration_loads_the_32_states_with_inegi_and_renapo_codes():
    states = {state.code: state for state in State.objects.all()}
    assert sorted(states) == [f"{n:02d}" for n in range(1, 33)]
    assert states["01"].name == "Aguascalientes"
    assert states["32"].name == "Zacatecas"
    assert states["09"].renapo_code == "DF"
    assert states["06"].renapo_code == "CM"
    assert len({state.renapo_code for state in states.values()}) == 32


@pytest.mark.django_db
def test_states_use_their_own_time_zone():
    zones = dict(State.objects.values_list("code", "timezone"))
    assert zones["02"] == "America/Tijuana"
    assert zones["03"] == zones["18"] == zones["25"] == "America/Mazatlan"
    assert zones["26"] == "America/Hermosillo"
    assert zones["23"] == "America/Cancun"
    assert zones["08"] == "America/Chihuahua"
    assert zones["06"] == "America/Mexico_City"


def test_every_time_zone_exists_in_zoneinfo():
    for row in STATES:
        assert zoneinfo.ZoneInfo(row.timezone).key == row.timezone


@pytest.mark.django_db
def test_migration_loads_the_ten_municipalities_of_colima():
    colima = Municipality.objects.filter(state__code="06").order_by("inegi_code")
    assert [m.inegi_code for m in colima] == [f"060{n:02d}" for n in range(1, 11)]
    assert colima.first().name == "Armería"
    assert colima.last().name == "Villa de Álvarez"


@pytest.mark.django_db
def test_reversing_the_migration_removes_the_rows_and_loading_again_restores_them():
    municipality = Municipality.objects.get(inegi_code="06002")
    Settlement.objects.create(postal_code="28000", name="Colima Centro", kind="Colonia", municipality=municipality)

    migration.unload(apps, None)
    assert not State.objects.exists()
    assert not Municipality.objects.filter(inegi_code__in=[row.inegi_code for row in COLIMA_MUNICIPALITIES]).exists()
    assert not reference_geography_is_loaded(State, Municipality)

    migration.load(apps, None)
    assert State.objects.count() == 32
    assert reference_geography_is_loaded(State, Municipality)


@pytest.mark.django_db
def test_reloading_corrects_an_edited_state_and_creates_nothing_new():
    State.objects.filter(code="06").update(name="Colima (editado)", timezone="UTC")
    assert not reference_geography_is_loaded(State, Municipality)

    created = do_load_reference_geography()

    assert created == (0, 0)
    state = State.objects.get(code="06")
    assert (state.name, state.timezone) == ("Colima", "America/Mexico_City")
