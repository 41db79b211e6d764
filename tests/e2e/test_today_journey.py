"""Vandaag on a phone (issue 17): anna reads Daan's day with its photo, switches to Eva with the
avatar row, and uses the tab bar; on a desktop the same places are the top navigation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from consent.models import Purpose
from diary.models import DiaryDay, DiaryEntry
from photos.services import photo_batch_start, photo_tags_set, photo_upload
from tests.e2e.conftest import DESKTOP, check_page, log_in
from tests.e2e.test_photo_journeys import images_loaded, jpeg

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def days(cast, decide):
    """Daan's and Eva's diary of today, and a photo of Daan taken today (variants made)."""
    for child in (cast.daan, cast.eva):
        for purpose in (Purpose.PHOTOS, Purpose.DIARY):
            decide(child, purpose, by=cast.anna)
    today = timezone.localdate()
    for child, text in (
        (cast.daan, "Daan heeft met zand gespeeld."),
        (cast.eva, "Eva sliep lang."),
    ):
        day = DiaryDay.objects.create(child=child, date=today)
        DiaryEntry.objects.create(
            day=day,
            kind=DiaryEntry.Kind.STAFF,
            author=cast.sanne,
            text=text,
            items={"meals": [{"moment": "lunch", "amount": "all", "what": ""}], "mood": "happy"},
        )
    batch = photo_batch_start(group=cast.group_a, worker=cast.sanne)
    upload = SimpleUploadedFile("camera.jpg", jpeg(3), content_type="image/jpeg")
    with transaction.atomic():
        photo = photo_upload(
            group=cast.group_a, uploaded_by=cast.sanne, uploaded_file=upload, batch=batch
        )
    photo_tags_set(photo=photo, children=[cast.daan], tagged_by=cast.sanne)
    return photo


def test_it_shows_anna_daans_day_switches_to_eva_and_uses_the_tab_bar(page, cast, days):
    log_in(page, "anna@example.org")
    expect(page.get_by_role("heading", name="Daan vandaag")).to_be_visible()
    expect(page.get_by_text("Daan heeft met zand gespeeld.")).to_be_visible()
    expect(page.get_by_text("Vrolijk")).to_be_visible()
    assert images_loaded(page, ".today-photos img") == [True]
    check_page(page)

    # The tab bar: at the bottom of a phone screen, four places, a badge for the new photo.
    tabs = page.get_by_role("navigation", name="Hoofdmenu")
    box = tabs.bounding_box()
    assert box["y"] + box["height"] >= page.viewport_size["height"] - 1
    for name in ("Vandaag", "Foto’s", "Berichten", "Meer"):
        link = tabs.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44
    expect(tabs.get_by_role("link", name="Vandaag")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_text("1 nieuwe foto")).to_be_attached()
    header = page.locator("body > header").bounding_box()
    assert header["height"] <= 57  # 56 px and its border

    # Switching children with the avatar row.
    page.get_by_role("navigation", name="Uw kinderen").get_by_role("link", name="Eva").click()
    expect(page.get_by_role("heading", name="Eva vandaag")).to_be_visible()
    expect(page.get_by_text("Eva sliep lang.")).to_be_visible()
    expect(page.get_by_text("Daan heeft met zand gespeeld.")).to_have_count(0)
    check_page(page)

    # The other tabs; Foto's follows the chosen child.
    tabs.get_by_role("link", name="Foto’s").click()
    expect(page.get_by_role("heading", name="Foto's van Eva")).to_be_visible()
    check_page(page)
    tabs.get_by_role("link", name="Berichten").click()
    expect(tabs.get_by_role("link", name="Berichten")).to_have_attribute("aria-current", "page")
    check_page(page)
    tabs.get_by_role("link", name="Meer").click()
    expect(page.get_by_role("heading", name="Meer")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    check_page(page)
    tabs.get_by_role("link", name="Vandaag").click()
    expect(page.get_by_role("heading", name="Eva vandaag")).to_be_visible()


def test_it_puts_the_same_places_at_the_top_on_a_desktop(open_page, cast, days):
    page = open_page(DESKTOP)
    log_in(page, "anna@example.org")
    expect(page.get_by_role("heading", name="Daan vandaag")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Hoofdmenu")
    assert tabs.bounding_box()["y"] < 56
    check_page(page)
