"""The gallery as a parent sees it (issue 17): photos only, "Select" for a ZIP, images sized to
their slot, the first row loaded at once, each photo's own colour while it loads."""

import re

import pytest
from django.urls import reverse

from photos.models import Photo
from photos.services import dominant_colour

from .conftest import add_photos, jpeg_bytes

pytestmark = pytest.mark.django_db


def gallery(child, query=""):
    return reverse("photos:gallery", args=[child.code]) + query


def test_it_shows_photos_without_controls_on_each_tile(cast, consented, login, make_photo):
    make_photo(cast.daan)
    text = login(cast.anna).get(gallery(cast.daan)).content.decode()
    grid = text[text.index('id="photo-grid"') : text.index("</ul>", text.index('id="photo-grid"'))]
    assert 'type="checkbox"' not in grid and "download=1" not in grid.split("data-download")[0]
    assert "Selecteren" in text and "select=1" in text
    assert "(ZIP)" in text  # the whole month stays one tap away


def test_it_turns_the_grid_into_a_choice_for_a_zip(cast, consented, login, make_photo):
    first, second = make_photo(cast.daan), make_photo(cast.daan)
    client = login(cast.anna)
    text = client.get(gallery(cast.daan, "?select=1")).content.decode()
    assert text.count('name="photo"') == 2 and "Keuze downloaden (ZIP)" in text
    assert "photo-link" not in text  # no lightbox while choosing
    response = client.post(reverse("photos:zip", args=[cast.daan.code]), {"photo": [first.code]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).count(b"foto-") >= 1
    assert second.code  # (not chosen)


def test_it_sizes_every_image_to_its_slot_and_loads_the_first_row_at_once(cast, consented, login):
    add_photos(cast.group_a, cast.sanne, [cast.daan], 9)
    text = login(cast.anna).get(gallery(cast.daan)).content.decode()
    images = re.findall(r"<img [^>]*>", text[text.index('id="photo-grid"') :])[:9]
    assert len(images) == 9
    assert all("srcset=" in img and " 400w" in img and " 1600w" in img for img in images)
    assert all('sizes="' in img for img in images)
    assert not any('loading="lazy"' in img for img in images[:6])
    assert all('loading="lazy"' in img for img in images[6:])
    assert 'fetchpriority="high"' in images[0]


def test_it_never_names_another_familys_child_in_the_gallery(cast, consented, login, make_photo):
    make_photo(cast.daan, cast.mila)
    text = login(cast.anna).get(gallery(cast.daan)).content.decode()
    assert "Mila" not in text and ": Daan" in text


def test_it_keeps_each_photos_colour_for_the_placeholder(cast, consented, login, make_photo):
    photo = make_photo(cast.daan, data=jpeg_bytes(colour="#c0392b"))
    assert re.fullmatch(r"#[0-9a-f]{6}", photo.colour)
    red, green, blue = (int(photo.colour[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(red - 0xC0) < 8 and abs(green - 0x39) < 8 and abs(blue - 0x2B) < 8
    text = login(cast.anna).get(gallery(cast.daan)).content.decode()
    assert f'data-colour="{photo.colour}"' in text


def test_it_gives_no_colour_to_photos_made_before_it_existed(cast, consented, login):
    old = add_photos(cast.group_a, cast.sanne, [cast.daan], 1)[0]
    assert Photo.objects.get(pk=old.pk).colour == ""
    assert "data-colour" not in login(cast.anna).get(gallery(cast.daan)).content.decode()


def test_it_averages_a_thumbnail_to_one_colour():
    assert dominant_colour(jpeg_bytes(size=(40, 30), colour="#000000")) == "#000000"
