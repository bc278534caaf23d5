"""What the sign-in record keeps of a device: a coarse network and a browser family, never more."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.devices import browser_family, coarse_network, platform_family

USER_AGENTS = {
    "chrome-android": "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "safari-ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "edge-windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    "firefox-linux": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "samsung-android": "Mozilla/5.0 (Linux; Android 13; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    "chrome-macos": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
}


@pytest.mark.parametrize(
    ("name", "browser", "platform"),
    [
        ("chrome-android", "chrome", "android"),
        ("safari-ios", "safari", "ios"),
        ("edge-windows", "edge", "windows"),
        ("firefox-linux", "firefox", "linux"),
        ("samsung-android", "samsung", "android"),
        ("chrome-macos", "chrome", "macos"),
    ],
)
def test_common_browsers_are_recognised_by_family_and_system(name, browser, platform):
    assert browser_family(USER_AGENTS[name]) == browser
    assert platform_family(USER_AGENTS[name]) == platform


def test_an_empty_or_unknown_user_agent_is_other():
    assert browser_family("") == browser_family(None) == browser_family("curl/8.5.0") == "other"
    assert platform_family("") == platform_family("curl/8.5.0") == "other"


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("201.141.23.77", "201.141.23.0/24"),
        ("2806:2f0:9020:1a2b:3c4d:5e6f:7a8b:9c0d", "2806:2f0:9020::/48"),
        ("::ffff:201.141.23.77", "201.141.23.0/24"),
        ("", ""),
        ("not an address", ""),
        (None, ""),
    ],
)
def test_only_the_network_of_an_address_is_kept(address, network):
    assert coarse_network(address) == network


@given(st.ip_addresses())
def test_the_network_always_contains_the_address_and_hides_its_host_part(address):
    network = ipaddress.ip_network(coarse_network(str(address)))
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    assert address in network
    assert network.prefixlen == (24 if address.version == 4 else 48)
