"""Issue 17, staff on a tablet on bad wifi: a batch of photos survives a lost connection and a
closed tab (IndexedDB queue, upload-queue.js), and every photo is stored exactly once."""

import io
import random
import time

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from photos.models import Photo, PhotoBatch

from .conftest import SW_READY, check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

TABLET = {"width": 820, "height": 1180}
LABEL = "Foto's (JPEG, PNG of HEIC"


def photo_files(tmp_path, count, side=1400):
    """Noisy JPEGs (a few hundred kB each), so uploads take long enough to be cut off."""
    paths = []
    rng = random.Random(17)
    for number in range(count):
        image = Image.effect_noise((side, side * 3 // 4), 40 + number).convert("RGB")
        image.paste((rng.randrange(256), 120, 90), (0, 0, side // 3, side // 4))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=92)
        path = tmp_path / f"IMG_{number:04d}.jpg"
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def upload_page(page, cast):
    page.goto(reverse("photos_staff:upload", args=[cast.group_a.code]))
    expect(page.get_by_role("heading", name="Foto's uploaden voor Groep A")).to_be_visible()


def assert_stored_once(cast, count):
    photos = Photo.objects.filter(group=cast.group_a, uploaded_by=cast.sanne)
    assert photos.count() == count
    assert len({photo.upload_token for photo in photos} - {""}) == count
    batches = set(photos.values_list("batch", flat=True))
    assert batches == set(
        PhotoBatch.objects.filter(created_by=cast.sanne).values_list("code", flat=True)
    )
    assert len(batches) == 1


@pytest.fixture
def tablet(browser, live_server, open_page):
    """``tablet(service_worker=True)``: a tablet-sized page; without a service worker the page
    alone must send the queue (browsers without Background Sync)."""
    contexts = []

    def _open(service_worker=True):
        if service_worker:
            return open_page(TABLET)
        context = browser.new_context(
            viewport=TABLET,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            base_url=live_server.url,
            service_workers="block",
        )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and not msg.text.startswith("Failed to load resource")
                and page.console_errors.append(msg.text)
            ),
        )
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("service_worker", [True, False], ids=["service-worker", "page-only"])
def test_it_finishes_a_batch_after_the_connection_drops_mid_batch(
    tablet, cast, tmp_path, service_worker
):
    page = tablet(service_worker)
    log_in(page, "sanne@example.org")
    upload_page(page, cast)
    check_page(page)
    files = photo_files(tmp_path, 8)

    page.get_by_label(LABEL, exact=False).set_input_files(files)
    items = page.locator("#upload-list .upload-item")
    expect(items).to_have_count(8)
    # Each photo has a preview and a state; the first ones are stored one by one.
    expect(page.locator("#upload-list .upload-item.is-done").first).to_be_visible()
    page.context.set_offline(True)
    expect(page.locator("#upload-connection")).to_be_visible()
    expect(page.locator("#upload-list .upload-item.is-waiting").first).to_be_visible()
    # A request already on its way may still be stored (its answer is lost: sent again later,
    # it returns the photo stored now); after that nothing arrives while offline.
    page.wait_for_timeout(1000)
    stored_offline = Photo.objects.count()
    assert 0 < stored_offline < 8
    page.wait_for_timeout(3000)
    assert Photo.objects.count() == stored_offline
    waiting = page.locator("#upload-list .upload-item.is-waiting")
    expect(waiting.first.locator(".upload-state")).to_have_text("Wacht")
    expect(page.locator("#upload-connection")).to_contain_text("blijven op dit apparaat bewaard")

    page.context.set_offline(False)
    # Each upload makes its variants and looks for faces at once (eager Celery): seconds per
    # photo on a loaded two-core machine, so the whole batch is given a minute.
    expect(page.locator("#upload-list .upload-item.is-done")).to_have_count(8, timeout=60_000)
    expect(page.locator("#upload-connection")).to_be_hidden()
    expect(page.locator("#upload-summary")).to_have_text("8 van 8 foto's opgeslagen.")
    assert_stored_once(cast, 8)
    check_page(page)
    # The tagging page of this batch shows all eight.
    page.get_by_role("link", name="Label de kinderen op deze foto's").click()
    expect(page.locator("li.tag-card")).to_have_count(8)


def test_it_sends_the_queue_of_a_closed_tab_from_the_service_worker(tablet, cast, tmp_path):
    """Background Sync: chosen offline, the tab closed, the connection back: the service worker
    sends the queue without any page of the portal open."""
    page = tablet()
    log_in(page, "sanne@example.org")
    upload_page(page, cast)
    assert page.evaluate(f"async () => 'sync' in {SW_READY}")
    page.context.set_offline(True)
    page.get_by_label(LABEL, exact=False).set_input_files(photo_files(tmp_path, 3, side=400))
    expect(page.locator("#upload-list .upload-item.is-waiting")).to_have_count(3)
    expect(page.locator("#upload-connection")).to_be_visible()
    context = page.context
    page.wait_for_timeout(1000)
    page.close()
    assert not Photo.objects.exists()

    context.set_offline(False)
    deadline = time.monotonic() + 30
    while Photo.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.25)
    assert_stored_once(cast, 3)
    # Opened again, the page shows them stored.
    again = context.new_page()
    upload_page(again, cast)
    expect(again.locator("#upload-list .upload-item.is-done")).to_have_count(3)
    assert_stored_once(cast, 3)


def test_it_sends_a_queue_left_by_a_closed_tab_when_the_page_opens_again(tablet, cast, tmp_path):
    """Without Background Sync the queue waits in the browser until the page opens again."""
    page = tablet(service_worker=False)
    log_in(page, "sanne@example.org")
    upload_page(page, cast)
    page.context.set_offline(True)
    page.get_by_label(LABEL, exact=False).set_input_files(photo_files(tmp_path, 3, side=400))
    expect(page.locator("#upload-list .upload-item.is-waiting")).to_have_count(3)
    context = page.context
    page.close()
    context.set_offline(False)
    time.sleep(2)
    assert not Photo.objects.exists()

    again = context.new_page()
    upload_page(again, cast)
    expect(again.locator("#upload-list .upload-item.is-done")).to_have_count(3, timeout=30_000)
    assert_stored_once(cast, 3)
