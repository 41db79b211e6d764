"""Small helpers for queries over many rows."""

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

MANY = 100


def many_ids(ids: Iterable[int]) -> list[int] | RawSQL:
    """A value for an ``__in`` lookup over many integer ids.

    On PostgreSQL, one array parameter (``IN (SELECT unnest(%s))``) instead of a placeholder per
    id: for the 10,000 photo ids of one retention batch, building and parsing the placeholders
    cost more than the ``DELETE`` itself (bench/retention_destroy.py). Elsewhere, the list.
    """
    ids = list(ids)
    if connection.vendor == "postgresql" and len(ids) > MANY:
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids
