"""An unreachable Redis does not take the portal down (portal/cache.py, issues 11 and 21): the
process's own memory stands in, so locks (allauth's rate limits) and "used code" marks still
work, and Redis is not tried again for a moment after each failure."""

import time

import pytest

from portal import cache as resilient
from portal.cache import ResilientRedisCache


@pytest.fixture
def down_cache():
    resilient.outage.answered()  # a clean state for each test
    resilient.outage.local.clear()
    yield ResilientRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens on port 1
        {"OPTIONS": {"socket_connect_timeout": 0.5}},
    )
    resilient.outage.answered()


def test_it_answers_reads_as_misses_when_redis_is_down(down_cache):
    assert down_cache.get("session:abc") is None
    assert down_cache.get("key", "fallback") == "fallback"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.has_key("a") is False


def test_it_takes_a_lock_once_when_redis_is_down(down_cache):
    """allauth's rate limiter and its used-two-factor-code mark are a cache ``add``: the first
    succeeds (a login goes on), a second of the same key does not (no code used twice)."""
    assert down_cache.add("allauth:rl:lock", True, 10) is True
    assert down_cache.add("allauth:rl:lock", True, 10) is False
    down_cache.delete("allauth:rl:lock")
    assert down_cache.add("allauth:rl:lock", True, 10) is True


def test_it_keeps_counting_in_the_process_when_redis_is_down(down_cache):
    down_cache.set("history", [1.0, 2.0], 60)
    assert down_cache.get("history") == [1.0, 2.0]
    with pytest.raises(ValueError):
        down_cache.incr("counter")  # as for a missing key: callers start a new count
    down_cache.add("counter", 0, 60)
    assert down_cache.incr("counter") == 1
    down_cache.set_many({"a": 1, "b": 2})
    down_cache.delete_many(["a"])
    assert down_cache.get_many(["a", "b"]) == {"b": 2}
    down_cache.clear()
    assert down_cache.get("b") is None


def test_it_leaves_redis_alone_for_a_moment_after_a_failure(down_cache, monkeypatch):
    tried = []
    real = resilient.RedisCacheClient.get_client

    def counting(self, *args, **kwargs):
        tried.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(resilient.RedisCacheClient, "get_client", counting)
    down_cache.get("a")
    assert tried == [1]
    started = time.monotonic()
    for _ in range(50):
        down_cache.get("a")
    assert tried == [1] and time.monotonic() - started < 0.1
    monkeypatch.setattr(resilient.outage, "retry_at", 0.0)
    down_cache.get("a")
    assert tried == [1, 1]


def test_it_forgets_the_stand_in_when_redis_answers_again(down_cache):
    down_cache.set("written-during-the-outage", 1, 60)
    assert down_cache.get("written-during-the-outage") == 1
    assert resilient.outage.down
    live = ResilientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "resilient-test"})
    resilient.outage.retry_at = 0.0
    live.get("anything")
    assert not resilient.outage.down
    assert resilient.outage.local._cache == {}


def test_it_works_as_a_cache_when_redis_answers():
    cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "resilient-test"})
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    cache.delete("n")
    assert cache.add("n", 0, 30) is True
    assert cache.add("n", 0, 30) is False
    assert cache.incr("n") == 1
    cache.delete_many(["a", "n"])
