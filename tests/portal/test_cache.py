"""An unreachable Redis is a cache miss, not an error page (portal/cache.py, issue 11)."""

import pytest

from portal.cache import ResilientRedisCache


@pytest.fixture
def down_cache():
    return ResilientRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens on port 1
        {"OPTIONS": {"socket_connect_timeout": 0.5}},
    )


def test_it_answers_reads_as_misses_when_redis_is_down(down_cache):
    assert down_cache.get("session:abc") is None
    assert down_cache.get("key", "fallback") == "fallback"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.has_key("a") is False


def test_it_drops_writes_when_redis_is_down(down_cache):
    down_cache.set("a", 1)
    down_cache.set_many({"a": 1, "b": 2})
    assert down_cache.add("a", 1) is False
    down_cache.delete("a")
    down_cache.delete_many(["a"])
    down_cache.clear()
    with pytest.raises(ValueError):
        down_cache.incr("counter")  # as for a missing key: callers start a new count


def test_it_works_as_a_cache_when_redis_answers():
    cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "resilient-test"})
    cache.set("a", {"x": 1}, 30)
    assert cache.get("a") == {"x": 1}
    cache.delete("n")
    assert cache.add("n", 0, 30) is True
    assert cache.incr("n") == 1
    cache.delete_many(["a", "n"])
