"""The private APIs of Django and django-storages that the portal relies on, in one place.

Each function wraps one private API for which Django 6.1 or django-storages offers no public
equivalent (the docstring says why). ``tests/portal/test_private_apis.py`` checks that each still
exists and behaves as relied on, so an upgrade that removes or changes one fails there first.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db.models import QuerySet


def delete_rows(queryset: QuerySet) -> int:
    """Delete the rows of ``queryset`` in one ``DELETE``, without loading them, without signals
    and without cascading; return how many went. For bulk deletion in retention (R16-R21), where
    the collector of ``QuerySet.delete()`` would load every row (and its relations) first.

    Why private: ``QuerySet._raw_delete`` has no public counterpart. ``on_delete=DB_CASCADE``
    (Django 6.1) cannot be used instead: its system check (``fields.E323``) refuses database-level
    and Python-level ``on_delete`` variants in one chain of references, and every table deleted
    here is reached from ``Child`` and ``User``, whose many other relations are Python-level.
    The caller deletes dependants first (or a database foreign key refuses the ``DELETE``).
    """
    return queryset._raw_delete(queryset.db)


def s3_object_name(storage: Any, key: str) -> str:
    """The object name in the bucket under which ``S3Storage`` keeps ``key`` (its ``location``
    prefix included), as ``S3Storage.delete`` computes it. For one ``DeleteObjects`` request per
    1,000 keys (``files/services.py``).

    Why private: django-storages has no bulk delete and no public way to map a storage name to
    the object key; ``_normalize_name`` and ``storages.utils.clean_name`` are what it uses itself.
    """
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(key))


def use_redis_client_class(cache: RedisCache, client_class: type[RedisCacheClient]) -> None:
    """Make ``cache`` talk to Redis through ``client_class`` (``portal/cache.py``).

    Why private: Django's ``RedisCache`` hard-codes ``RedisCacheClient`` in ``self._class`` and
    has no setting or constructor argument for another client class (its ``OPTIONS`` choose
    only the parser and the connection pool class). Call before the first cache operation.
    """
    cache._class = client_class  # type: ignore[attr-defined]  # private: what this wraps
