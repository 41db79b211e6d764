"""Batches are issued by the server and counted (issue 19, finding 9): the client cannot choose
a batch id, a batch holds at most 30 photos and a worker uploads at most
``PHOTOS_UPLOADS_PER_HOUR`` photos in any hour. A refusal stores nothing; a retried file is
still stored once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from photos.models import Photo, PhotoBatch
from tests.conftest import mark_two_factor

from .conftest import jpeg_bytes, upload_file
from .test_upload import stored_files

pytestmark = pytest.mark.django_db

UNKNOWN = "Deze uploadreeks is niet bekend. Laad de pagina opnieuw en probeer het nog eens."


@pytest.fixture
def sanne(cast, login):
    return login(cast.sanne)


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    mark_two_factor(client, user)
    return client


def start(client, group):
    return client.post(reverse("photos_staff:start_batch", kwargs={"group_code": group.code}))


def send(client, group, batch, token, data=None):
    return client.post(
        reverse("photos_staff:upload", kwargs={"group_code": group.code}),
        {"batch": batch, "upload": token, "photos": [upload_file(data or jpeg_bytes((16, 16)))]},
        HTTP_X_REQUESTED_WITH="fetch",
    )


def token(n: int) -> str:
    return f"file{n:028d}"


def test_it_issues_a_batch_to_the_worker_for_the_group(cast, sanne):
    response = start(sanne, cast.group_a)
    assert response.status_code == 200
    batch = PhotoBatch.objects.get()
    assert response.json() == {
        "ok": True,
        "batch": batch.code,
        "tag_url": f"/staff/photos/group/{cast.group_a.code}/?batch={batch.code}",
        "owner": cast.sanne.code,
    }
    assert (batch.group, batch.created_by) == (cast.group_a, cast.sanne)
    assert start(sanne, cast.group_a).json()["batch"] != batch.code


def test_it_issues_batches_only_by_post_and_only_for_own_groups(cast, sanne, login):
    url = reverse("photos_staff:start_batch", kwargs={"group_code": cast.group_a.code})
    assert sanne.get(url).status_code == 405
    assert start(sanne, cast.group_b).status_code == 404
    assert start(staff_client(cast.tom), cast.group_a).status_code == 404
    assert start(login(cast.anna), cast.group_a).status_code == 404
    assert not PhotoBatch.objects.exists()


def test_it_refuses_a_batch_id_the_server_did_not_issue(cast, sanne):
    before = stored_files()
    response = send(sanne, cast.group_a, "forgedBatchId001", token(1))
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": UNKNOWN, "reason": "batch"}
    assert not Photo.objects.exists() and stored_files() == before


def test_it_refuses_another_workers_batch(cast, sanne):
    """Lotte manages group A's location and may upload there, but not into Sanne's batch."""
    batch = start(sanne, cast.group_a).json()["batch"]
    response = send(staff_client(cast.lotte), cast.group_a, batch, token(1))
    assert response.status_code == 400
    assert response.json()["error"] == UNKNOWN
    assert not Photo.objects.exists()


def test_it_refuses_a_batch_of_another_group(cast):
    """Lotte's own batch for group C does not take photos for group A."""
    lotte = staff_client(cast.lotte)
    batch = start(lotte, cast.group_c).json()["batch"]
    response = send(lotte, cast.group_a, batch, token(1))
    assert response.status_code == 400
    assert response.json()["error"] == UNKNOWN
    assert not Photo.objects.exists()
    assert send(lotte, cast.group_c, batch, token(1)).status_code == 200


def test_it_refuses_the_31st_file_and_stores_nothing_of_it(cast, sanne):
    batch = start(sanne, cast.group_a).json()["batch"]
    for n in range(30):
        assert send(sanne, cast.group_a, batch, token(n)).status_code == 200
    before = stored_files()
    response = send(sanne, cast.group_a, batch, token(30))
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "In één reeks kunnen maximaal 30 foto's worden geüpload. Begin een nieuwe reeks.",
        "reason": "batch_full",
    }
    assert Photo.objects.filter(batch=batch).count() == 30
    assert stored_files() == before
    # A retry of the 30th file (its answer was lost) still gets the photo stored before.
    again = send(sanne, cast.group_a, batch, token(29))
    assert again.status_code == 200
    assert again.json()["photo"] == Photo.objects.get(upload_token=token(29)).code
    assert Photo.objects.count() == 30


def test_it_stores_a_retried_file_once(cast, sanne, django_capture_on_commit_callbacks):
    batch = start(sanne, cast.group_a).json()["batch"]
    with django_capture_on_commit_callbacks(execute=True):
        first = send(sanne, cast.group_a, batch, token(1))
    files = stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        again = send(sanne, cast.group_a, batch, token(1))
    assert first.json() == again.json()
    assert Photo.objects.count() == 1 and stored_files() == files


def test_it_caps_the_photos_of_a_worker_per_hour(cast, sanne, settings):
    settings.PHOTOS_UPLOADS_PER_HOUR = 3
    settings.STAFF_SESSION_IDLE_TIMEOUT = 2 * 60 * 60  # the hour passes without other clicks
    first = timezone.now().replace(microsecond=0)
    with time_machine.travel(first, tick=False):
        batch = start(sanne, cast.group_a).json()["batch"]
        for n in range(2):
            assert send(sanne, cast.group_a, batch, token(n)).status_code == 200
    with time_machine.travel(first + timedelta(minutes=30), tick=False):
        # A new batch does not reset the hour.
        other = start(sanne, cast.group_a).json()["batch"]
        assert send(sanne, cast.group_a, other, token(2)).status_code == 200
        before = stored_files()
        response = send(sanne, cast.group_a, other, token(3))
        assert response.status_code == 429
        assert response.json() == {
            "ok": False,
            "error": "U hebt het afgelopen uur 3 foto's geüpload, het maximum. "
            "Probeer het later nog eens.",
            "reason": "hour",
        }
        assert Photo.objects.count() == 3 and stored_files() == before
        # Another worker has an hour of their own.
        lotte = staff_client(cast.lotte)
        lotte_batch = start(lotte, cast.group_a).json()["batch"]
        assert send(lotte, cast.group_a, lotte_batch, token(9)).status_code == 200
    assert Photo.objects.filter(uploaded_by=cast.lotte).count() == 1
    # Exactly one hour after the first two, they no longer count.
    with time_machine.travel(first + timedelta(hours=1) - timedelta(microseconds=1), tick=False):
        assert send(sanne, cast.group_a, other, token(3)).status_code == 429
    with time_machine.travel(first + timedelta(hours=1), tick=False):
        assert send(sanne, cast.group_a, other, token(3)).status_code == 200
        assert send(sanne, cast.group_a, other, token(4)).status_code == 200
        assert send(sanne, cast.group_a, other, token(5)).status_code == 429


def test_it_gives_a_form_post_a_batch_of_its_own(cast, sanne):
    """Without script the page posts all files at once, without a batch: the server starts one."""
    url = reverse("photos_staff:upload", kwargs={"group_code": cast.group_a.code})
    response = sanne.post(url, {"photos": [upload_file(jpeg_bytes()), upload_file(jpeg_bytes())]})
    batch = PhotoBatch.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"?batch={batch.code}")
    assert (batch.group, batch.created_by) == (cast.group_a, cast.sanne)
    assert set(Photo.objects.values_list("batch", flat=True)) == {batch.code}


def test_it_tells_a_form_post_over_the_hourly_cap_why(cast, sanne, settings):
    settings.PHOTOS_UPLOADS_PER_HOUR = 1
    url = reverse("photos_staff:upload", kwargs={"group_code": cast.group_a.code})
    response = sanne.post(
        url, {"photos": [upload_file(jpeg_bytes()), upload_file(jpeg_bytes())]}, follow=True
    )
    assert Photo.objects.count() == 1
    text = response.content.decode()
    assert "1 foto geüpload." in text
    assert "U hebt het afgelopen uur 1 foto geüpload, het maximum." in text
