"""The private APIs the portal relies on (``core/private_apis.py``,
``accounts/allauth_internals.py``) still exist and behave as relied on: an upgrade of Django,
django-storages or django-allauth that removes or changes one fails here first."""

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connection
from django.db.models.signals import post_delete, pre_delete
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from storages.backends.s3 import S3Storage

from accounts import allauth_internals
from core.private_apis import delete_rows, s3_object_name
from files.models import PendingFileDeletion
from portal.cache import ResilientRedisCache, ResilientRedisCacheClient

pytestmark = pytest.mark.django_db


def test_it_deletes_rows_in_one_statement_without_signals():
    PendingFileDeletion.objects.bulk_create(
        [PendingFileDeletion(key=f"anna/{n}.jpg") for n in range(3)]
        + [PendingFileDeletion(key="chris/kept.jpg")]
    )
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs["instance"])

    pre_delete.connect(listener, sender=PendingFileDeletion)
    post_delete.connect(listener, sender=PendingFileDeletion)
    try:
        with CaptureQueriesContext(connection) as queries:
            removed = delete_rows(PendingFileDeletion.objects.filter(key__startswith="anna/"))
    finally:
        pre_delete.disconnect(listener, sender=PendingFileDeletion)
        post_delete.disconnect(listener, sender=PendingFileDeletion)
    assert removed == 3
    assert heard == []
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["DELETE"]
    assert list(PendingFileDeletion.objects.values_list("key", flat=True)) == ["chris/kept.jpg"]


def test_it_names_s3_objects_as_the_storage_does():
    storage = S3Storage(
        bucket_name="ouderportaal",
        location="media",
        custom_domain="files.example.org",
        querystring_auth=False,
    )
    assert s3_object_name(storage, "photos/ab/cd.jpg") == "media/photos/ab/cd.jpg"
    assert s3_object_name(storage, "photos\\ab/./cd.jpg") == "media/photos/ab/cd.jpg"
    # The storage's own (public) url() goes through the same name.
    assert storage.url("photos/ab/cd.jpg") == "https://files.example.org/media/photos/ab/cd.jpg"


def test_it_gives_the_redis_cache_its_client_class():
    assert RedisCache("redis://127.0.0.1:1/0", {})._class is RedisCacheClient
    resilient = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    assert type(resilient._cache) is ResilientRedisCacheClient


def test_it_activates_totp_and_recovery_codes_for_a_known_secret(cast):
    bram = cast.bram
    assert not Authenticator.objects.filter(user=bram).exists()  # a parent has no second factor
    allauth_internals.TOTP.activate(bram, "JBSWY3DPEHPK3PXP")
    allauth_internals.RecoveryCodes.activate(bram)
    kinds = set(Authenticator.objects.filter(user=bram).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_it_computes_totp_codes_as_rfc_4226_does():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890", RFC 4226 appendix D
    codes = [
        allauth_internals.format_hotp_value(allauth_internals.hotp_value(secret, n))
        for n in range(3)
    ]
    assert codes == ["755224", "287082", "359152"]


def test_it_records_a_two_factor_authentication_on_the_session(cast):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    allauth_internals.record_authentication(request, cast.sanne, "mfa", type="totp", id=7)
    records = get_authentication_records(request, cast.sanne)
    assert [(r["method"], r["type"], r["id"]) for r in records] == [("mfa", "totp", 7)]
