"""Memories: the export ZIP holds each photo named by when it was taken, with the capture time
back in EXIF DateTimeOriginal and a caption in ImageDescription; never GPS, never another
child's name."""

import io
import zipfile

import pytest
from PIL import Image

from photos.selectors import AMSTERDAM
from retention.models import Export
from tests.photos.conftest import make_photo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

GPS_IFD, EXIF_IFD = 0x8825, 0x8769


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[GPS_IFD] = {2: (52.0, 5.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_it_writes_the_capture_time_and_a_caption_into_each_exported_photo_and_no_gps(
    cast,
    statement,
    decide,
    login,
    make_photo,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    decide(cast.daan, "photos", given=True)
    decide(cast.mila, "photos", given=True)
    photo = make_photo(cast.daan, cast.mila, data=jpeg_with_gps())
    client = login(cast.anna, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.daan.code}/export/")
    export = Export.objects.get()
    response = client.get(f"/retention/exports/{export.code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    taken = photo.taken_at.astimezone(AMSTERDAM)
    name = f"Daan/photos/{taken:%Y-%m-%d_%H%M}_1.jpg"
    assert name in archive.namelist(), archive.namelist()
    image = Image.open(io.BytesIO(archive.read(name)))
    exif = image.getexif()
    assert exif.get_ifd(EXIF_IFD)[0x9003] == f"{taken:%Y:%m:%d %H:%M:%S}"  # DateTimeOriginal
    caption = exif[0x010E]  # ImageDescription
    assert "Daan" in caption and "Mila" not in caption
    assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif
    assert 0x010F not in exif  # no camera either
    image.load()  # the image data itself is intact
    assert image.size == (64, 48)


def test_it_adds_an_offline_index_of_the_diary_days_with_their_photos(
    cast,
    statement,
    decide,
    login,
    make_photo,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from diary.models import DiaryDay, DiaryEntry

    decide(cast.daan, "photos", given=True)
    decide(cast.daan, "diary", given=True)
    photo = make_photo(cast.daan)
    taken = photo.taken_at.astimezone(AMSTERDAM)
    day = DiaryDay.objects.create(child=cast.daan, date=taken.date())
    DiaryEntry.objects.create(
        day=day, kind="staff", author=cast.sanne, text="Daan bouwde een toren."
    )
    client = login(cast.anna, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.daan.code}/export/")
    response = client.get(f"/retention/exports/{Export.objects.get().code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = archive.read("Daan/index.html").decode()
    assert "Daan bouwde een toren." in index
    assert f'src="photos/{taken:%Y-%m-%d_%H%M}_1.jpg"' in index
    assert "<script" not in index and "http" not in index.split("<body>", 1)[1]
    assert "Daan/index.pdf" not in archive.namelist()


def _photo_of(child, staff, when):
    from photos.models import Photo, PhotoTag
    from tests.retention.helpers import stored_file

    photo = Photo.objects.create(
        group=child.group,
        uploaded_by=staff,
        batch="b1",
        taken_at=when,
        original_key=stored_file("photos", jpeg_with_gps()),
        display_key=stored_file("photos"),
        thumb_key=stored_file("photos"),
        width=64,
        height=48,
    )
    PhotoTag.objects.create(photo=photo, child=child, tagged_by=staff)
    return photo


def test_it_downloads_only_the_photos_added_since_my_last_download(
    cast, statement, decide, login, time_machine, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    decide(cast.noor, "photos", by=cast.fleur)
    first = timezone.now() - datetime.timedelta(days=10)  # after Noor left, in her window
    time_machine.move_to(first, tick=False)
    _photo_of(cast.noor, cast.sanne, first)
    time_machine.move_to(first + datetime.timedelta(days=1), tick=False)
    client = login(cast.fleur, reauthenticated=True)
    page = client.get("/retention/").text
    assert 'value="last"' not in page  # nothing downloaded yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.noor.code}/export/")
    later = first + datetime.timedelta(days=2)
    time_machine.move_to(later, tick=False)
    _photo_of(cast.noor, cast.sanne, later)
    client = login(cast.fleur, reauthenticated=True)
    assert 'value="last"' in client.get("/retention/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.noor.code}/export/", {"since": "last"})
    newest = Export.objects.order_by("-created_at").first()
    assert newest.since is not None
    response = client.get(f"/retention/exports/{newest.code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    photos = [name for name in archive.namelist() if "/photos/" in name]
    assert photos == [f"Noor/photos/{later.astimezone(AMSTERDAM):%Y-%m-%d_%H%M}_1.jpg"]
