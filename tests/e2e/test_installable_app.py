"""The portal installs as an app (issue 9): a manifest Chromium accepts, a service worker that
registers, an offline page when the network is gone, and no child data in its caches."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import (
    CHROMIUM_ARGS,
    PHONE,
    SW_READY,
    check_page,
    chromium_path,
    log_in,
    open_lightbox,
)
from tests.e2e.test_photo_journeys import daan_photos  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url);
  }
  return urls;
}"""


def wait_for_service_worker(page):
    """Wait until the service worker is active and controls the page; return its scope.

    A page whose navigation started while the worker was still installing (the log-in form
    was sent during its install) is not a client `clients.claim()` reaches in Chromium, so it
    stays uncontrolled. Loading it again after activation makes it controlled, as it does for
    a parent who opens the next page.
    """
    scope = page.evaluate("async () => SW_READY.scope".replace("SW_READY", SW_READY))
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    return scope


def test_it_is_installable_according_to_chromium(playwright, live_server, cast, tmp_path):
    # Chromium never offers to install from an incognito context (Playwright's new_context),
    # so this test runs a browser with a real profile of its own.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        locale="nl-NL",
        base_url=live_server.url,
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        assert wait_for_service_worker(page).endswith("/")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest["errors"]
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_it_shows_the_offline_page_and_keeps_no_child_data_on_the_phone(
    page,
    cast,
    daan_photos,  # noqa: F811
):
    log_in(page, "anna@example.org")
    wait_for_service_worker(page)
    gallery = reverse("photos:gallery", args=[cast.daan.code])
    page.goto(gallery)
    open_lightbox(page)
    page.locator(".pswp--open .pswp__img").first.wait_for()
    page.keyboard.press("Escape")
    page.goto(reverse("child", args=[cast.daan.code]))

    # Only the app shell is cached: the offline page, styles and icons. No page, photo or file.
    cached = [urlsplit(url).path for url in page.evaluate(CACHED_URLS)]
    assert "/offline/" in cached
    assert all(path == "/offline/" or path.startswith("/static/") for path in cached), cached
    assert not [path for path in cached if cast.daan.code in path or "/photos/" in path]

    page.context.set_offline(True)
    try:
        page.goto(gallery)
        expect(page.get_by_role("heading", name="Geen verbinding")).to_be_visible()
        expect(page.locator("#photo-grid")).to_have_count(0)
        page.goto("/")
        expect(page.get_by_role("heading", name="Geen verbinding")).to_be_visible()
        expect(page.get_by_text("Daan")).to_have_count(0)
        check_page(page)
    finally:
        page.context.set_offline(False)
    page.goto(gallery)
    assert page.locator("#photo-grid img").count() == 2
