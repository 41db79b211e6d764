"""The PostgreSQL pool fails fast while the database cannot be reached (portal/pgpool, issue 21
finding 4): a request holds its sync worker for a fraction of a second instead of the pool
timeout, so liveness keeps answering behind it. The pool at work against a real PostgreSQL is
the integration tests' (tests/integration/test_faults.py)."""

import socket
import time

import pytest
from psycopg_pool import PoolTimeout

from portal.pgpool.base import FailFastPool


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_gives_up_at_once_when_the_database_cannot_be_reached():
    pool = FailFastPool(
        f"host=127.0.0.1 port={closed_port()} user=postgres connect_timeout=2",
        min_size=1,
        max_size=2,
        timeout=10,
        open=False,
    )
    pool.open()
    try:
        started = time.monotonic()
        with pytest.raises(PoolTimeout):
            pool.getconn()  # the first request: stops waiting once the pool fails to connect
        first = time.monotonic() - started
        started = time.monotonic()
        with pytest.raises(PoolTimeout, match="failing fast"):
            pool.getconn()
        second = time.monotonic() - started
    finally:
        pool.close(timeout=1)
    assert first < 1.5, first  # not the 10 s of the pool timeout
    assert second < 0.5, second
