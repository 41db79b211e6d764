import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from consent import projection
from consent.models import Purpose
from photos.models import Photo, PhotoBatch, PhotoTag
from photos.services import photo_batch_start, photo_upload

BATCH = "testBatchCode001"


def jpeg_bytes(size=(640, 480), colour="#43aa8b", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85, **save)
    return out.getvalue()


def png_bytes(size=(64, 48), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "#f94144").save(out, "PNG")
    return out.getvalue()


def upload_file(data: bytes, name: str = "photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def issued_batch(group, worker) -> PhotoBatch:
    """The batch ``BATCH`` for Sanne in group A (tests filter the tagging page by it), a new
    one for anyone else: the server issues batches (issue 19, finding 9)."""
    if (group.name, worker.email) == ("Groep A", "sanne@example.org"):
        return PhotoBatch.objects.get_or_create(
            code=BATCH, defaults={"group": group, "created_by": worker}
        )[0]
    return photo_batch_start(group=group, worker=worker)


@pytest.fixture
def sanne_batch(cast):
    """``BATCH``, issued to Sanne for group A."""
    return issued_batch(cast.group_a, cast.sanne)


@pytest.fixture
def make_photo(cast, django_capture_on_commit_callbacks):
    """``make_photo(*children, group=None)``: an uploaded photo (variants made) with tags."""

    def _make(*children, group=None, data=None, worker=None):
        group = group or (children[0].group if children else cast.group_a)
        worker = worker or cast.sanne
        with django_capture_on_commit_callbacks(execute=True):
            photo = photo_upload(
                group=group,
                uploaded_by=worker,
                uploaded_file=upload_file(data or jpeg_bytes()),
                batch=issued_batch(group, worker),
            )
        for child in children:
            PhotoTag.objects.create(photo=photo, child=child)
        projection.photos_changed([photo.pk])  # tags written directly: project them
        return Photo.objects.get(pk=photo.pk)

    return _make


@pytest.fixture
def consented(cast, decide):
    """Photo consent given for Daan (by anna), Mila (dewi), Eva (anna) and Finn (bram)."""
    for child in (cast.daan, cast.mila, cast.eva, cast.finn):
        decide(child, Purpose.PHOTOS, given=True)
    return cast


@pytest.fixture
def group_photo(consented, make_photo):
    """The demo's group photo of Daan and Mila."""
    return make_photo(consented.daan, consented.mila)


def add_photos(group, worker, children, n, *, when=None):
    """``n`` photo rows with variants (no files), each tagged with ``children``: for counts."""
    when = when or timezone.now() - timedelta(hours=1)
    photos = Photo.objects.bulk_create(
        [
            Photo(
                group=group,
                uploaded_by=worker,
                batch="perfBatchCode001",
                taken_at=when - timedelta(minutes=i),
                original_key=f"photos/pe/perf{i}.jpg",
                display_key=f"photos/pe/perf{i}-d.jpg",
                thumb_key=f"photos/pe/perf{i}-t.jpg",
                width=1600,
                height=1200,
            )
            for i in range(n)
        ]
    )
    PhotoTag.objects.bulk_create(
        [PhotoTag(photo=photo, child=child) for photo in photos for child in children]
    )
    projection.photos_changed([photo.pk for photo in photos])  # written directly: project them
    return photos
