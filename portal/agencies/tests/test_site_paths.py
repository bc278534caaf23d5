"""An entity's site is at /<slug>/: the portal's own words cannot be an entity's slug."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from portal.agencies.models import Agency
from portal.agencies.site_paths import RESERVED_SITE_PATHS, check_site_path_free, site_path
from portal.agencies.tests.test_admin import agency_form, portal_admin  # noqa: F401 (fixture)
from testing.clients import client_for

# A route's first segment that could be an entity's slug: lower-case letters, digits and hyphens.
SLUG_SHAPED = re.compile(r"^[a-z][a-z0-9-]{1,49}$")


def _first_segments(patterns, prefix: str = "") -> set[str]:
    """The literal first path segment of every route, following includes and the language prefixes."""
    found: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            found |= _first_segments(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            first = route.split("/", 1)[0].rstrip("$")
            if SLUG_SHAPED.match(first):
                found.add(first)
    return found


def test_every_first_path_segment_the_portal_routes_is_reserved():
    routed = _first_segments(get_resolver().url_patterns)

    assert {"tramites", "gobierno", "curp", "oficina"} <= routed, "the walk must see the portal's sections"
    assert routed <= RESERVED_SITE_PATHS, (
        f"reserve these words in site_paths.py: {sorted(routed - RESERVED_SITE_PATHS)}"
    )


@given(st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True) | st.sampled_from(sorted(RESERVED_SITE_PATHS)))
def test_a_slug_is_refused_exactly_when_its_site_path_is_reserved(slug):
    reserved = site_path(slug) in RESERVED_SITE_PATHS
    try:
        check_site_path_free(slug)
    except ValidationError as error:
        assert reserved and f"/{slug}/" in error.messages[0]
    else:
        assert not reserved


@pytest.mark.django_db
def test_a_new_entity_cannot_take_a_word_the_portal_uses(portal_admin):  # noqa: F811 (fixture)
    response = client_for(portal_admin).post(
        "/admin/instituciones/new/", agency_form(acronym="CURP", slug="curp", name="Comisión Única de Registro")
    )

    assert response.status_code == 200  # Wagtail redraws the form with its errors
    assert "La dirección «curp» no puede usarse" in response.content.decode()
    assert "/curp/" in response.content.decode()
    assert not Agency.objects.filter(acronym="CURP").exists()


@pytest.mark.django_db
def test_an_existing_entity_keeps_validating_whatever_its_slug():
    # The rule is checked when an entity is created, with its site.
    agency = Agency(acronym="IMSS", name="Instituto Mexicano del Seguro Social", slug="imss", level="federal")
    agency.kind = "descentralizado"
    agency.full_clean()
    agency.save()
    agency.slug = "datos"  # as if an old row held a word reserved later
    agency.full_clean()
