"""Variants through a storage outage (issue 21): every transient storage error is retried with
backoff, a sweeper sends the task again for photos still waiting, and until the variants exist
the lightbox gets the display size made on the spot, never the whole original."""

import io
from datetime import timedelta

import pytest
import time_machine
from botocore.exceptions import ClientError, EndpointConnectionError
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from PIL import Image

from photos.models import DISPLAY_SIDE, Photo
from photos.tasks import make_variants_task, sweep_variants_task
from portal.celery import app

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


class FlakyStorage(FileSystemStorage):
    """The media storage as an S3 outage shows it to the code: botocore's connection error
    (not an ``OSError``) for the next ``failures`` reads."""

    failures = 0
    error = EndpointConnectionError(endpoint_url="https://s3.example.org")

    def _open(self, name, mode="rb"):
        if FlakyStorage.failures:
            FlakyStorage.failures -= 1
            raise FlakyStorage.error
        return super()._open(name, mode)


@pytest.fixture
def flaky(settings):
    # Eagerly, a retry runs again at once (no countdown) unless errors propagate first.
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.FlakyStorage",
            "OPTIONS": settings.STORAGES["default"]["OPTIONS"],
        },
    }
    yield FlakyStorage  # Django resets default_storage when STORAGES changes
    FlakyStorage.failures = 0
    FlakyStorage.error = EndpointConnectionError(endpoint_url="https://s3.example.org")
    app.conf.task_eager_propagates = propagates


def without_variants(photo: Photo) -> Photo:
    Photo.objects.filter(pk=photo.pk).update(display_key="", thumb_key="")
    photo.refresh_from_db()
    return photo


def test_it_retries_the_variants_on_a_connection_error_of_the_bucket(cast, make_photo, flaky):
    photo = without_variants(make_photo(cast.daan))
    flaky.failures = 3
    assert make_variants_task.apply(args=[photo.pk]).get() is True  # eager: retries at once
    photo.refresh_from_db()
    assert photo.has_variants and flaky.failures == 0


def test_it_retries_on_throttling_but_not_on_a_missing_key(cast, make_photo, flaky):
    photo = without_variants(make_photo(cast.daan))
    flaky.failures, flaky.error = (
        1,
        ClientError(
            {"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}},
            "GetObject",
        ),
    )
    assert make_variants_task.apply(args=[photo.pk]).get() is True
    other = without_variants(make_photo(cast.daan))
    flaky.failures, flaky.error = (
        1,
        ClientError(
            {"Error": {"Code": "NoSuchKey"}, "ResponseMetadata": {"HTTPStatusCode": 404}},
            "GetObject",
        ),
    )
    with pytest.raises(ClientError):
        make_variants_task.apply(args=[other.pk]).get()
    assert not Photo.objects.get(pk=other.pk).has_variants


def test_it_gives_the_photo_to_the_sweeper_when_the_outage_outlasts_the_retries(
    cast, make_photo, flaky
):
    photo = without_variants(make_photo(cast.daan))
    flaky.failures = make_variants_task.max_retries + 1
    with pytest.raises(EndpointConnectionError):
        make_variants_task.apply(args=[photo.pk]).get()
    assert not Photo.objects.get(pk=photo.pk).has_variants
    # The outage is over; the sweeper sends the task again once the photo has waited long enough.
    # Counted from the upload, not from now: the retries above take their time on a busy machine.
    uploaded_at = Photo.objects.get(pk=photo.pk).uploaded_at
    with time_machine.travel(uploaded_at + timedelta(seconds=299), tick=False):
        assert sweep_variants_task() == 0
    with time_machine.travel(uploaded_at + timedelta(seconds=300), tick=False):
        assert sweep_variants_task() == 1
    assert Photo.objects.get(pk=photo.pk).has_variants
    assert sweep_variants_task() == 0  # nothing left


def test_it_sweeps_every_five_minutes_from_beat():
    entry = app.conf.beat_schedule["photos-sweep-variants"]
    assert entry["task"] == "photos.tasks.sweep_variants_task"
    assert entry["schedule"] == 300.0


def test_it_gives_the_lightbox_a_downscaled_rendering_until_the_variants_exist(
    cast, consented, login, make_photo
):
    original = jpeg_bytes((3200, 2400))
    photo = without_variants(make_photo(cast.daan, data=original))
    response = login(cast.anna).get(reverse("photos:file", args=[photo.code, "display"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert max(image.size) == DISPLAY_SIDE and image.size == photo.display_size
    assert not Photo.objects.get(pk=photo.pk).has_variants  # made for the answer, not stored


def test_it_gives_a_stranger_404_for_the_display_without_variants(
    cast, consented, login, make_photo
):
    photo = without_variants(make_photo(cast.daan))
    response = login(cast.bram).get(reverse("photos:file", args=[photo.code, "display"]))
    assert response.status_code == 404
