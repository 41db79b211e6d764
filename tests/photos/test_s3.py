"""Photos on a real S3-compatible server (moto's server mode on loopback): upload, variants,
delivery (stream and signed URL of at most 10 s), ZIP and deletion (R22, DESIGN: runtime)."""

import io
import socket
import time
import urllib.error
import urllib.request
import zipfile
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from consent import projection
from photos.models import Photo, PhotoTag

from .conftest import BATCH, jpeg_bytes, upload_file

pytestmark = pytest.mark.django_db
BUCKET = "ouderportaal-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    yield endpoint
    server.stop()


@pytest.fixture(params=[None, "s3v4"], ids=["default-signature", "sigv4"])
def s3(request, s3_endpoint, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "eu-west-1",
            "access_key": "testing",
            "secret_key": "testing",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 10,
            "file_overwrite": False,
            "signature_version": request.param,
        },
    }
    with override_settings(STORAGES=storages):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys_in(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.fixture
def s3_photo(s3, cast, consented, login, sanne_batch, django_capture_on_commit_callbacks):
    sanne = login(cast.sanne)
    url = reverse("photos_staff:upload", args=[cast.group_a.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = sanne.post(
            url,
            {"batch": BATCH, "photos": [upload_file(jpeg_bytes((2000, 1500)))]},
            HTTP_X_REQUESTED_WITH="fetch",
        )
    assert response.status_code == 200
    photo = Photo.objects.get()
    PhotoTag.objects.create(photo=photo, child=cast.daan)
    PhotoTag.objects.create(photo=photo, child=cast.mila)
    projection.photos_changed([photo.pk])  # tags written directly: project them
    return photo


def test_it_stores_the_original_and_variants_in_the_bucket(s3, s3_photo):
    assert keys_in(s3) == set(s3_photo.storage_keys())
    assert len(s3_photo.storage_keys()) == 3
    head = s3.head_object(Bucket=BUCKET, Key=s3_photo.display_key)
    assert head["ContentLength"] > 0


def test_it_streams_from_the_bucket(s3, s3_photo, cast, login):
    response = login(cast.anna).get(reverse("photos:file", args=[s3_photo.code, "thumb"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


@override_settings(MEDIA_DELIVERY="signed-url")
def test_it_redirects_to_a_signed_url_valid_for_10_seconds(s3, s3_photo, cast, login):
    """A link handed out just before a withdrawal works for seconds, not a minute (issue 21)."""
    response = login(cast.dewi).get(reverse("photos:file", args=[s3_photo.code, "display"]))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    query = parse_qs(urlparse(response.url).query)
    if "X-Amz-Expires" in query:  # SigV4
        assert int(query["X-Amz-Expires"][0]) == 10
    else:  # SigV2: an absolute expiry time
        assert int(query["Expires"][0]) - time.time() <= 11
    assert query["response-cache-control"] == ["private, no-store"]
    with urllib.request.urlopen(response.url) as remote:
        assert remote.read()[:3] == b"\xff\xd8\xff"
    assert (
        login(cast.bram).get(reverse("photos:file", args=[s3_photo.code, "display"])).status_code
        == 404
    )


def test_it_refuses_anonymous_reads_of_the_bucket(s3, s3_photo, s3_endpoint):
    plain = f"{s3_endpoint}/{BUCKET}/{s3_photo.original_key}"
    try:
        urllib.request.urlopen(plain)
    except urllib.error.HTTPError as error:
        assert error.code == 403
    else:
        raise AssertionError("anonymous read")
    head = s3.get_object_acl(Bucket=BUCKET, Key=s3_photo.original_key)
    grants = {grant["Grantee"].get("URI") for grant in head["Grants"]}
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grants


def test_it_zips_from_the_bucket(s3, s3_photo, cast, login):
    response = login(cast.anna).post(
        reverse("photos:zip", args=[cast.daan.code]), {"photo": [s3_photo.code]}
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = archive.read(archive.namelist()[0])
    stored = s3.get_object(Bucket=BUCKET, Key=s3_photo.original_key)["Body"].read()
    assert data == stored


def test_it_deletes_every_object_of_a_deleted_photo(
    s3, s3_photo, cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.sanne).post(
            reverse("photos_staff:delete", args=[cast.group_a.code, s3_photo.code])
        )
    assert keys_in(s3) == set()
    assert not Photo.objects.exists()


def test_it_deletes_queued_objects_with_one_request_per_batch_of_keys(s3, monkeypatch):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from files.services import files_delete_pending, files_queue_deletion
    from tests.files.queue import queued_keys

    monkeypatch.setattr("files.services.S3_DELETE_OBJECTS_MAX", 2)
    keys = [default_storage.save(f"photos/x{index}.jpg", ContentFile(b"x")) for index in range(4)]
    keys.append("photos/already-gone.jpg")  # a missing object is not an error
    calls = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3.*", lambda event_name, **kwargs: calls.append(event_name))
    files_queue_deletion(keys=keys)
    assert files_delete_pending() == 5
    assert keys_in(s3) == set()
    assert not queued_keys()
    assert calls == ["before-call.s3.DeleteObjects"] * 3
