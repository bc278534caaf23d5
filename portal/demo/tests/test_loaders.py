"""Each domain contributes its demo loader in its own ``demo.py``; the seed runs them in the order they declare."""

from types import SimpleNamespace

import pytest

from portal.demo import loaders


def test_each_domain_contributes_its_loader_in_dependency_order():
    order = [loader.label for loader in loaders.registered()]

    assert order == [
        "geo",
        "agencies",
        "services",
        "online_forms",
        "accounts",
        "participation",
        "reports",
        "appointments",
        "payments",
        "insights",
        "helpdesk",
        "agency_sites",
        "legacy_sites",
    ]


def test_every_loader_named_in_demo_after_exists():
    # A label that names no loader would be skipped silently, and the order it was there to keep lost with it.
    labels = {loader.label for loader in loaders.registered()}
    for loader in loaders.registered():
        assert set(loader.after) <= labels, f"{loader.label} runs after {set(loader.after) - labels}, not loaders"


def test_a_demo_module_without_a_loader_hook_is_not_a_loader():
    # portal/registry/demo.py holds the registry's fixed people only.
    assert "registry" not in [loader.label for loader in loaders.registered()]


def _loader(label, *after):
    return loaders.Loader(label, SimpleNamespace(DEMO_AFTER=after))


def test_a_loader_runs_after_those_it_names_whatever_their_place_in_installed_apps():
    found = [_loader("accounts", "agencies"), _loader("services", "agencies"), _loader("agencies", "geo")]

    assert [loader.label for loader in loaders.ordered(found)] == ["agencies", "accounts", "services"]


def test_loaders_that_wait_for_each_other_are_refused():
    with pytest.raises(ValueError, match="circular"):
        loaders.ordered([_loader("a", "b"), _loader("b", "a")])
