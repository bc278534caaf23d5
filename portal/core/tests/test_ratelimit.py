"""The shared rate limiter: counts per client and scope in fixed windows, in the real cache (and once in Redis)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from portal.core.ratelimit import check_rate_limit, client_ip, hit

NOW = 1_800_000_000.0  # a window boundary for windows of 60 and 600 seconds


def test_requests_up_to_the_limit_pass_and_the_next_is_refused():
    results = [hit("lookup", "198.51.100.7", 3, 60, now=NOW + second) for second in range(4)]
    assert [result.allowed for result in results] == [True, True, True, False]
    assert [result.count for result in results] == [1, 2, 3, 4]


def test_retry_after_is_the_time_left_in_the_window():
    for _ in range(3):
        hit("lookup", "198.51.100.7", 2, 600, now=NOW + 100)
    refused = hit("lookup", "198.51.100.7", 2, 600, now=NOW + 100.5)
    assert not refused.allowed
    assert refused.retry_after == 500


def test_a_new_window_starts_a_new_count():
    for _ in range(5):
        hit("lookup", "198.51.100.7", 2, 60, now=NOW + 10)
    assert hit("lookup", "198.51.100.7", 2, 60, now=NOW + 61).count == 1


def test_clients_and_scopes_are_counted_separately():
    for _ in range(3):
        hit("lookup", "198.51.100.7", 2, 60, now=NOW)
    assert hit("lookup", "198.51.100.8", 2, 60, now=NOW).allowed
    assert hit("verify", "198.51.100.7", 2, 60, now=NOW).allowed


def test_an_expired_key_between_add_and_incr_restarts_the_count():
    first = hit("lookup", "198.51.100.7", 2, 60, now=NOW)
    cache.clear()  # what an eviction or expiry does to the key
    assert first.count == 1
    assert hit("lookup", "198.51.100.7", 2, 60, now=NOW + 1).count == 1


def test_the_client_is_remote_addr_when_no_proxy_is_trusted(settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert client_ip(request) == "203.0.113.5"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert client_ip(request) == "203.0.113.5"


def test_behind_trusted_proxies_the_client_is_the_nearest_untrusted_hop(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client forged the first entry; the load balancer (10.1.1.1) and the CDN (192.0.2.10) are ours.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.99, 192.0.2.10"
    )
    assert client_ip(request) == "198.51.100.99"


def test_a_malformed_trusted_proxy_entry_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["not-an-address", "10.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert client_ip(request) == "198.51.100.99"


def test_check_rate_limit_counts_the_requesting_client(settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="203.0.113.5")
    other = factory.post("/", REMOTE_ADDR="203.0.113.6")
    assert check_rate_limit(first, "lookup", 1, 600).allowed
    assert not check_rate_limit(first, "lookup", 1, 600).allowed
    assert check_rate_limit(other, "lookup", 1, 600).allowed


REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


def test_two_processes_share_one_count_through_redis():
    """Two cache clients stand for two application processes; only database 14 is used and flushed."""
    first = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "ventanilla-test"})
    second = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "ventanilla-test"})
    try:
        client = first._cache.get_client(write=True)
        client.ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach Redis means there is no Redis to test
        pytest.skip(f"Redis is not answering at {REDIS_TEST_URL}: {error}")
    client.flushdb()
    try:
        counts = [hit("lookup", "198.51.100.7", 3, 600, now=NOW, store=store).count for store in (first, second) * 2]
        assert counts == [1, 2, 3, 4]
        assert not hit("lookup", "198.51.100.7", 3, 600, now=NOW, store=second).allowed
        keys = [key.decode() for key in client.scan_iter("*")]
        assert len(keys) == 1
        assert "198.51.100.7" not in keys[0]
        assert 0 < client.ttl(keys[0]) <= 605
    finally:
        client.flushdb()
