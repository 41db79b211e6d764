"""Journeys 2-4 (R5, R10, R4): sanne uploads and tags photos on a phone; anna looks at Daan's
photos, opens the lightbox and downloads one; chris withdraws the photo consent for Daan and
the photos are gone for anna, the direct photo address included."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from consent.models import Purpose
from photos.models import Photo, PhotoTag
from photos.services import photo_batch_start, photo_tags_set, photo_upload
from tests.e2e.conftest import DESKTOP, PHONE, check_page, log_in, open_lightbox

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg(seed: int, size=(1200, 900)) -> bytes:
    """A small generated picture (shapes, no people)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, "#eaf2fb")
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randrange(0, size[0] - 100), rng.randrange(0, size[1] - 100)
        draw.ellipse((x, y, x + 200, y + 200), fill=rng.choice(["#f94144", "#90be6d", "#577590"]))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def daan_photos(cast, decide):
    """Two photos of Daan in group A, tagged, with their variants; anna said yes to photos."""
    decide(cast.daan, Purpose.PHOTOS, by=cast.anna)
    photos = []
    batch = photo_batch_start(group=cast.group_a, worker=cast.sanne)
    for seed in (1, 2):
        upload = SimpleUploadedFile("camera.jpg", jpeg(seed), content_type="image/jpeg")
        with transaction.atomic():  # the variants task runs (eagerly) on commit
            photo = photo_upload(
                group=cast.group_a, uploaded_by=cast.sanne, uploaded_file=upload, batch=batch
            )
        photo_tags_set(photo=photo, children=[cast.daan], tagged_by=cast.sanne)
        photos.append(photo)
    assert all(photo.has_variants for photo in Photo.objects.filter(batch=batch.code))
    return photos


def images_loaded(page, selector):
    """For each image: did it load (after the browser finished trying)?"""
    for image in page.locator(selector).all():
        image.scroll_into_view_if_needed()  # lazy images load when they come into view
    page.wait_for_function(
        "(selector) => [...document.querySelectorAll(selector)].every((img) => img.complete)",
        arg=selector,
    )
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
             .map((img) => img.complete && img.naturalWidth > 0)""",
        selector,
    )


def test_it_lets_sanne_upload_two_photos_and_tag_daan_and_mila(page, cast, decide, tmp_path):
    decide(cast.daan, Purpose.PHOTOS, by=cast.anna)
    decide(cast.mila, Purpose.PHOTOS, by=cast.dewi)
    files = []
    for seed in (1, 2):
        path = tmp_path / f"IMG_000{seed}.jpg"
        path.write_bytes(jpeg(seed))
        files.append(path)

    log_in(page, "sanne@example.org")
    page.goto("/staff/")
    check_page(page)
    page.goto(reverse("photos_staff:upload", args=[cast.group_a.code]))
    expect(page.get_by_role("heading", name="Foto's uploaden voor Groep A")).to_be_visible()
    check_page(page)

    # Chosen photos are queued and sent at once (tests/e2e/test_tablet_upload.py for more).
    page.get_by_label("Foto's (JPEG, PNG of HEIC", exact=False).set_input_files(files)
    # One request per file, each with its own progress and result.
    next_link = page.get_by_role("link", name="Label de kinderen op deze foto's")
    next_link.wait_for()
    expect(page.locator("#upload-list .upload-ok")).to_have_count(2)
    check_page(page)

    next_link.click()
    cards = page.locator("li.tag-card")
    expect(cards).to_have_count(2)
    # The variants were made by the task after each upload: real thumbnails, no placeholders.
    assert images_loaded(page, "li.tag-card img") == [True, True]
    expect(page.locator("li.tag-card img[src$='placeholder.svg']")).to_have_count(0)
    # Eva has no decision yet: she cannot be tagged (R5).
    expect(cards.first.get_by_label("Eva", exact=False)).to_be_disabled()
    check_page(page)

    for index in range(2):
        cards.nth(index).get_by_label("Daan", exact=False).check()
        cards.nth(index).get_by_label("Mila", exact=False).check()
    page.get_by_role("button", name="Labels opslaan").click()
    expect(page.get_by_text("De labels zijn opgeslagen.")).to_be_visible()
    check_page(page)

    photos = Photo.objects.filter(group=cast.group_a)
    assert photos.count() == 2
    assert all(photo.has_variants for photo in photos)
    # upload.js gave each file an id of its own (a retry returns the photo already stored).
    assert len({photo.upload_token for photo in photos} - {""}) == 2
    tags = set(PhotoTag.objects.values_list("photo_id", "child__first_name"))
    assert tags == {(photo.pk, name) for photo in photos for name in ("Daan", "Mila")}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_lets_anna_see_daans_photos_in_the_lightbox_and_download_one(
    open_page, cast, daan_photos, viewport
):
    page = open_page(viewport)
    log_in(page, "anna@example.org")
    page.get_by_role("link", name="Foto’s", exact=False).first.click()
    expect(page.get_by_role("heading", name="Foto's van Daan")).to_be_visible()
    assert page.locator("#photo-grid li").count() == 2
    assert images_loaded(page, "#photo-grid img") == [True, True]
    check_page(page)

    open_lightbox(page)
    lightbox = page.locator(".pswp--open")
    lightbox.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.pswp--open .pswp__img')]"
        ".some((img) => img.complete && img.naturalWidth > 0)"
        " && getComputedStyle(document.querySelector('.pswp__bg')).opacity >= 0.8"
        " && getComputedStyle(document.querySelector('.pswp__counter')).opacity >= 0.85"
    )
    check_page(page)
    # The lightbox is a named dialog in Dutch that keeps the focus inside (issue 17).
    dialog = page.get_by_role("dialog", name="Foto's van Daan")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_visible()
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('.pswp').contains(document.activeElement)")
    # One photo is downloaded from the lightbox; the grid itself has no controls per photo.
    with page.expect_download() as download_info:
        dialog.get_by_role("link", name="Downloaden").click()
    download = download_info.value
    page.keyboard.press("Escape")
    lightbox.wait_for(state="detached")
    expect(page.locator("#photo-grid input[type=checkbox]")).to_have_count(0)
    assert download.suggested_filename.endswith(".jpg")
    with Image.open(download.path()) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 900)


def test_it_closes_daans_photos_for_anna_when_chris_withdraws_his_consent(
    open_page, cast, daan_photos, decide
):
    decide(cast.daan, Purpose.PHOTOS, by=cast.chris)
    photo_url = reverse("photos:file", args=[daan_photos[0].code, "display"])
    gallery_url = reverse("photos:gallery", args=[cast.daan.code])

    anna = open_page()
    log_in(anna, "anna@example.org")
    # The photo itself is fetched with anna's cookies, as the lightbox would.
    assert anna.request.get(photo_url).status == 200
    assert anna.goto(gallery_url).status == 200

    chris = open_page()
    log_in(chris, "chris@example.org")
    chris.goto("/consent/")
    check_page(chris)
    daan = chris.locator("article", has=chris.get_by_role("heading", name="Daan"))
    daan.locator("li", has_text="Foto’s").get_by_role("link", name="Intrekken").click()
    expect(chris.get_by_role("heading", name="Toestemming voor foto’s van Daan")).to_be_visible()
    check_page(chris)
    chris.get_by_label("Nee, ik geef geen toestemming").check()
    chris.get_by_role("button", name="Bevestigen").click()
    chris.wait_for_url("**/consent/")
    check_page(chris)

    # A withdrawal works at once (R4): the gallery is off and the photo itself is not found.
    response = anna.goto(gallery_url)
    assert response.status == 403
    assert anna.locator("#photo-grid").count() == 0
    check_page(anna)
    assert anna.request.get(photo_url).status == 404
