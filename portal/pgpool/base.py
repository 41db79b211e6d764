"""PostgreSQL through psycopg's pool, failing fast while the database cannot be reached
(issue 21, finding 4).

With sync gunicorn workers a process serves one request at a time, so a request that waits
``DATABASE_POOL_TIMEOUT`` (10 s) for a connection to a stopped database holds its worker that
long; a handful of clients then kept every worker busy and ``/health/live/`` (which needs no
database) waited behind them, so a load balancer would restart healthy processes.

Here the pool remembers whether its last attempt to connect failed. While it did, a request
waits at most ``PROBE_SECONDS`` (and still gives the pool its chance to reconnect, which it
keeps trying in the background with backoff); a request that is already waiting when the first
attempt fails stops waiting within ``SLICE_SECONDS``. Once a connection succeeds, requests wait
the full timeout again (a pool that is merely busy is not an outage).
"""

import threading
import time

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool, PoolTimeout

PROBE_SECONDS = 0.2
SLICE_SECONDS = 0.25


class FailFastPool(ConnectionPool):
    def __init__(self, *args, **kwargs):
        self.unreachable = False
        self._state = threading.Lock()
        super().__init__(*args, **kwargs)

    def _connect(self, timeout=None):
        try:
            conn = super()._connect(timeout)
        except Exception:
            with self._state:
                self.unreachable = True
            raise
        with self._state:
            self.unreachable = False
        return conn

    def getconn(self, timeout: float | None = None):
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PoolTimeout(f"couldn't get a connection after {timeout:.2f} sec")
            wait = min(left, PROBE_SECONDS if self.unreachable else SLICE_SECONDS)
            try:
                return super().getconn(wait)
            except PoolTimeout:
                if self.unreachable:
                    raise PoolTimeout("the database cannot be reached (failing fast)") from None


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL backend with :class:`FailFastPool` as its pool."""

    @property
    def pool(self):
        pool_options = self.settings_dict["OPTIONS"].get("pool")
        # Django's own pool property, with private names the stubs do not declare.
        if self.alias == base.NO_DB_ALIAS or not pool_options:  # type: ignore[attr-defined]
            return None
        if self.alias not in self._connection_pools:  # type: ignore[attr-defined]
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            pool_options = {} if pool_options is True else {**pool_options}
            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True
            pool_options.setdefault(
                "check",
                ConnectionPool.check_connection
                if self.settings_dict["CONN_HEALTH_CHECKS"]
                else None,
            )
            pool = FailFastPool(
                kwargs=connect_kwargs,
                open=False,
                configure=self._configure_connection,  # type: ignore[attr-defined]
                **pool_options,
            )
            self._connection_pools.setdefault(self.alias, pool)  # type: ignore[attr-defined]
        return self._connection_pools[self.alias]  # type: ignore[attr-defined]
