"""Redis as a cache that survives a Redis outage (issues 11 and 21).

Django's Redis cache raises when Redis is unreachable, which would take every page down with
it (rate limits, used two-factor codes and the access log's de-duplication all use the cache).
Here an unreachable Redis hands each call to a small cache in the process's own memory instead:

- reads of what was in Redis are misses; nothing the portal keeps in the cache is needed for
  correctness (sessions live in the database, ``portal/settings.py``);
- ``add`` works, so allauth's rate-limit lock is taken and logins, two-factor and password
  resets go on (issue 21: with ``add`` answering ``False`` every login got a 429 for the whole
  outage); rate limits and the "two-factor code already used" check count per process during
  the outage, as they do on a machine without Redis;
- after a failure Redis is left alone for ``RETRY_SECONDS`` (no connect timeout per call while
  it is away), then tried again; when it answers, the local stand-in is emptied, so nothing
  written during one outage is read in the next.

A warning is logged at most every 10 seconds.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.private_apis import use_redis_client_class

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
WARN_EVERY_SECONDS = 10.0


class _Outage:
    """Per process: is Redis away, since when was it last tried, the local stand-in."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0  # monotonic time before which Redis is not tried
        self.down = False
        self.last_warning = 0.0
        self.local = LocMemCache("portal-cache-outage", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def skip_redis(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down = True
            self.retry_at = now + RETRY_SECONDS
            warn = now - self.last_warning > WARN_EVERY_SECONDS
            if warn:
                self.last_warning = now
        if warn:
            log.warning("cache unavailable, using this process's memory meanwhile: %s", error)

    def answered(self) -> None:
        if self.down:
            with self.lock:
                if not self.down:
                    return
                self.down = False
                self.local.clear()
            log.warning("cache available again")


outage = _Outage()


def _resilient(name: str):
    redis_method = getattr(RedisCacheClient, name)

    def method(self, *args, **kwargs):
        if not outage.skip_redis():
            try:
                result = redis_method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                outage.failed(error)
            else:
                outage.answered()
                return result
        return getattr(outage.local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``{name}`` on Redis; on the process's own memory while Redis is away."
    return method


class ResilientRedisCacheClient(RedisCacheClient):
    add = _resilient("add")
    get = _resilient("get")
    set = _resilient("set")
    touch = _resilient("touch")
    delete = _resilient("delete")
    get_many = _resilient("get_many")
    has_key = _resilient("has_key")
    incr = _resilient("incr")
    set_many = _resilient("set_many")
    delete_many = _resilient("delete_many")
    clear = _resilient("clear")


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that rides out an outage."""

    def __init__(self, server, params):
        super().__init__(server, params)
        use_redis_client_class(self, ResilientRedisCacheClient)
