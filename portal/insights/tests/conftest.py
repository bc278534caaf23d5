import pytest

from portal.insights import recording


@pytest.fixture(autouse=True)
def empty_buffer():
    """Each test starts with nothing buffered and no salt or site host remembered from another test's database."""
    recording.discard_pending()
    yield
    recording.discard_pending()
