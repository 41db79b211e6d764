"""Photos of a day appear in the timeline, each behind its own photo consent (R5, R10)."""

from django.utils import timezone

from consent import projection
from consent.models import Purpose
from photos.models import Photo, PhotoTag


def _photo(cast, *children):
    photo = Photo.objects.create(
        group=cast.group_a,
        uploaded_by=cast.sanne,
        batch="b",
        taken_at=timezone.now(),
        original_key="photos/x.jpg",
        width=800,
        height=600,
    )
    for child in children:
        PhotoTag.objects.create(photo=photo, child=child, tagged_by=cast.sanne)
    projection.photos_changed([photo.pk])  # written directly: project them
    return photo


def test_it_shows_the_photos_of_the_day_with_photo_consent(
    consented, login, client, entry_on, decide
):
    cast = consented
    entry_on(cast.daan, text="Met foto")
    photo = _photo(cast, cast.daan)
    login(cast.anna)
    page = client.get(f"/diary/{cast.daan.code}/").content.decode()
    assert photo.code not in page  # no photo consent yet
    decide(cast.daan, Purpose.PHOTOS)
    page = client.get(f"/diary/{cast.daan.code}/").content.decode()
    assert f"/photos/p/{photo.code}/thumb/" in page


def test_it_hides_a_group_photo_when_another_tagged_child_lacks_photo_consent(
    consented, login, client, entry_on, decide
):
    cast = consented
    entry_on(cast.daan, text="Groepsfoto")
    decide(cast.daan, Purpose.PHOTOS)
    photo = _photo(cast, cast.daan, cast.mila)
    login(cast.anna)
    assert photo.code not in client.get(f"/diary/{cast.daan.code}/").content.decode()
