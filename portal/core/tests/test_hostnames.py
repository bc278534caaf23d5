from hypothesis import given
from hypothesis import strategies as st

from portal.core.hostnames import host_name, is_portal_host


def test_the_portals_host_and_the_loopback_are_the_portals(settings):
    settings.PORTAL_BASE_URL = "https://www.gob.mx"
    for raw in ("www.gob.mx", "WWW.GOB.MX:443", "127.0.0.1:8000", "localhost", "[::1]:8000", "testserver", ""):
        assert is_portal_host(raw), raw
    for raw in ("colima.gob.mx", "www.profeco.gob.mx:80", "gob.mx"):
        assert not is_portal_host(raw), raw


@given(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){1,3}", fullmatch=True), st.integers(1, 65535)
)
def test_a_port_never_changes_the_name(name, port):
    assert host_name(f"{name}:{port}") == host_name(name.upper()) == name
