"""Redis as a cache that survives a Redis outage (issue 11).

Django's Redis cache raises when Redis is unreachable, which would take every page down with
it (sessions, rate limits, the access log's de-duplication all read the cache). Here an
unreachable Redis is a cache miss: reads return nothing, writes are dropped, and a warning is
logged at most every 10 seconds. The session engine (``cached_db``) then falls back to the
database, so logged-in people stay logged in. Rate limits (allauth, messaging) do not count
during the outage: the price of staying up, and visible in the logs.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
_last_warning = 0.0


def _miss(fallback):
    """Run the client method; on a Redis connection failure return ``fallback(*args)``."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            global _last_warning
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                if time.monotonic() - _last_warning > 10:
                    _last_warning = time.monotonic()
                    log.warning("cache unavailable, answering as a miss: %s", error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _raise_missing(*args, **kwargs):
    raise ValueError("Key not found (the cache is unavailable)")


class ResilientRedisCacheClient(RedisCacheClient):
    add = _miss(lambda *a, **k: False)(RedisCacheClient.add)
    get = _miss(lambda key, default: default)(RedisCacheClient.get)
    set = _miss(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _miss(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _miss(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _miss(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _miss(lambda *a, **k: False)(RedisCacheClient.has_key)
    incr = _miss(_raise_missing)(RedisCacheClient.incr)
    set_many = _miss(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _miss(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _miss(lambda *a, **k: None)(RedisCacheClient.clear)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that treats an outage as a miss."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
