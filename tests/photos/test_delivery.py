"""Group photos reach exactly the right parents, through checked views only (R5, R22)."""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from consent.models import Purpose
from photos.models import Photo

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

SIZES = ["thumb", "display", "original"]


def file_urls(photo):
    urls = [reverse("photos:file", args=[photo.code, size]) for size in SIZES]
    return [*urls, reverse("photos:file", args=[photo.code, "original"]) + "?download=1"]


def assert_no_store(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def zip_names(response) -> list[str]:
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def post_zip(client, child, **data):
    return client.post(reverse("photos:zip", args=[child.code]), data)


def test_it_delivers_every_size_to_anna_and_dewi_without_caching(cast, group_photo, login):
    for name in ("anna", "dewi", "chris"):
        client = login(cast.users[name])
        for url in file_urls(group_photo):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert_no_store(response)
            assert response["Content-Type"] == "image/jpeg"
            body = b"".join(response.streaming_content)
            assert body[:3] == b"\xff\xd8\xff"
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", ["bram", "fleur", "tom"])
def test_it_answers_404_to_everyone_else(cast, group_photo, login, name):
    client = login(cast.users[name])
    for url in file_urls(group_photo):
        assert client.get(url).status_code == 404
    assert (
        client.get(reverse("photos_staff:file", args=[group_photo.code, "thumb"])).status_code
        == 404
    )


def test_it_answers_404_to_anonymous_visitors(client, group_photo):
    for url in file_urls(group_photo):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_it_closes_every_file_and_the_zip_after_chris_withdraws(cast, group_photo, login, decide):
    anna = login(cast.anna)
    assert post_zip(anna, cast.daan, photo=[group_photo.code]).status_code == 200
    # Before: Dewi sees the photo on Vandaag and in the gallery (the pages checked below).
    dewi = login(cast.dewi)
    pages = [f"/today/{cast.mila.code}/", reverse("photos:gallery", args=[cast.mila.code])]
    assert all(group_photo.code in dewi.get(page).text for page in pages)
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    for name in ("anna", "dewi"):
        client = login(cast.users[name])
        for url in file_urls(group_photo):
            assert client.get(url).status_code == 404
    dewi = login(cast.dewi)
    assert post_zip(dewi, cast.mila, photo=[group_photo.code]).status_code == 404
    assert post_zip(dewi, cast.mila, month=f"{group_photo.taken_at:%Y-%m}").status_code == 404
    for page in pages:  # the very next request, no cache in between
        response = dewi.get(page)
        assert response.status_code == 200
        assert group_photo.code not in response.text


def test_it_lets_group_staff_open_photos_of_consented_children(cast, group_photo, login):
    sanne = login(cast.sanne)
    assert (
        sanne.get(reverse("photos_staff:file", args=[group_photo.code, "thumb"])).status_code == 200
    )
    # Staff do not get photos through the parent route.
    assert sanne.get(reverse("photos:file", args=[group_photo.code, "thumb"])).status_code == 404


def test_it_refuses_unknown_sizes(cast, group_photo, login):
    client = login(cast.anna)
    assert client.get(f"/photos/p/{group_photo.code}/huge/").status_code == 404


def test_it_shows_a_placeholder_until_the_variants_exist(cast, consented, login, make_photo):
    photo = make_photo(cast.daan)
    Photo.objects.filter(pk=photo.pk).update(thumb_key="", display_key="")
    client = login(cast.anna)
    response = client.get(reverse("photos:file", args=[photo.code, "thumb"]))
    assert response.status_code == 302 and response.url.endswith("photos/placeholder.svg")
    page = client.get(reverse("photos:gallery", args=[cast.daan.code])).content.decode()
    assert "photos/placeholder.svg" in page


@override_settings(MEDIA_DELIVERY="x-accel", MEDIA_X_ACCEL_PREFIX="/protected-media/")
def test_it_hands_the_file_to_the_web_server_when_configured(cast, group_photo, login):
    response = login(cast.anna).get(reverse("photos:file", args=[group_photo.code, "display"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{group_photo.display_key}"
    assert_no_store(response)
    assert response.content == b""


def test_it_zips_a_selection_and_a_month(cast, consented, login, make_photo):
    first = make_photo(cast.daan, cast.mila)
    second = make_photo(cast.daan)
    other = make_photo(cast.mila)
    anna = login(cast.anna)
    response = post_zip(anna, cast.daan, photo=[first.code, other.code])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert_no_store(response)
    names = zip_names(response)
    assert names == [f"{first.taken_at.astimezone():%Y-%m-%d}/{first.filename()}"]
    month = post_zip(anna, cast.daan, month=f"{first.taken_at.astimezone():%Y-%m}")
    assert sorted(zip_names(month)) == sorted(
        f"{p.taken_at.astimezone():%Y-%m-%d}/{p.filename()}" for p in (first, second)
    )


def test_it_zips_nothing_for_a_stranger(cast, consented, login, make_photo):
    photo = make_photo(cast.daan)
    bram = login(cast.bram)
    assert post_zip(bram, cast.daan, photo=[photo.code]).status_code == 404
    assert post_zip(bram, cast.finn, photo=[photo.code]).status_code == 404


def test_it_streams_the_original_bytes_in_the_zip(cast, consented, login, make_photo):
    photo = make_photo(cast.daan, data=jpeg_bytes((123, 77)))
    response = post_zip(login(cast.anna), cast.daan, photo=[photo.code])
    data = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    from django.core.files.storage import default_storage

    with default_storage.open(photo.original_key) as handle:
        assert archive.read(archive.namelist()[0]) == handle.read()
