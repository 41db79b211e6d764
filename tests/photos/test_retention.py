"""The photos part of the retention contract (retention/contract.py)."""

import pytest
from django.db import transaction

from consent import projection
from photos.models import Photo, PhotoTag
from photos.retention import destroy_children, export_child
from tests.files.queue import queued_keys

pytestmark = pytest.mark.django_db


class Writer:
    def __init__(self):
        self.files = {}

    def add_file(self, path, key):
        self.files[path] = key

    def add_bytes(self, path, data, pdf=True):
        self.files[path] = data

    def add_json(self, path, data):
        raise AssertionError("not used")


def test_it_destroys_solo_photos_and_untags_group_photos(cast, consented, make_photo):
    solo = make_photo(cast.mila)
    group = make_photo(cast.daan, cast.mila)
    other = make_photo(cast.daan)
    with transaction.atomic():
        result = destroy_children([cast.mila.pk])
    assert result == {"photos": 1, "photo tags": 2, "photo files": 3}
    assert set(Photo.objects.values_list("pk", flat=True)) == {group.pk, other.pk}
    assert set(PhotoTag.objects.filter(photo=group).values_list("child", flat=True)) == {
        cast.daan.pk
    }
    assert queued_keys() == set(solo.storage_keys())
    with transaction.atomic():
        assert destroy_children([cast.mila.pk]) == {"photos": 0, "photo tags": 0, "photo files": 0}


def test_it_destroys_more_photos_than_fit_in_placeholders(cast, consented):
    """Over ``core.db.MANY`` photos go as one array parameter on PostgreSQL."""
    from core.db import MANY

    from .conftest import add_photos

    solo = add_photos(cast.group_a, cast.sanne, [cast.mila], MANY + 5)
    kept = Photo.objects.create(
        group=cast.group_a,
        uploaded_by=cast.sanne,
        batch="keptBatchCode001",
        taken_at=solo[0].taken_at,
        original_key="photos/ke/kept.jpg",
        width=1600,
        height=1200,
    )
    PhotoTag.objects.create(photo=kept, child=cast.daan)
    projection.photos_changed([kept.pk])  # written directly: project it
    with transaction.atomic():
        result = destroy_children([cast.mila.pk])
    assert result == {"photos": MANY + 5, "photo tags": MANY + 5, "photo files": 3 * (MANY + 5)}
    assert list(Photo.objects.values_list("pk", flat=True)) == [kept.pk]
    assert queued_keys() == {key for photo in solo for key in photo.storage_keys()}


def test_it_exports_the_shared_photos_named_by_when_they_were_taken(
    cast, consented, make_photo, decide
):
    import io

    from PIL import Image

    from consent.models import Purpose
    from photos.selectors import AMSTERDAM

    mine = make_photo(cast.daan)
    group = make_photo(cast.daan, cast.mila)
    make_photo(cast.mila)
    writer = Writer()
    export_child(child=cast.daan, user=cast.anna, writer=writer)
    names = {f"photos/{p.taken_at.astimezone(AMSTERDAM):%Y-%m-%d_%H%M}_" for p in (mine, group)}
    index = writer.files.pop("index.html").decode()
    assert len(writer.files) == 2
    assert all(any(path.startswith(n) for n in names) for path in writer.files)
    assert all(f'src="{path}"' in index for path in writer.files)
    assert "Mila" not in index
    for data in writer.files.values():
        exif = Image.open(io.BytesIO(data)).getexif()
        assert "Daan" in exif[0x010E] and "Mila" not in exif[0x010E]
    decide(cast.mila, Purpose.PHOTOS, given=False)
    writer = Writer()
    export_child(child=cast.daan, user=cast.anna, writer=writer)
    assert len(writer.files) == 2  # one photo and index.html
