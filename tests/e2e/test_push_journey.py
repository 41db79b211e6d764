"""Push end to end (issue 17): anna turns on notifications on her phone, the subscription is
stored, a batch of photos of Daan is tagged, and the real pywebpush code sends one push to a
push service on loopback; decrypted with the browser's keys it says only "Nieuwe foto's van
Daan", and the service worker shows exactly that.

Chromium cannot reach a real push service (FCM) here, so the page's
``PushManager.subscribe()`` is replaced by one that answers with the loopback endpoint and
keys this test holds; everything else (the page's script, the form, the server's checks,
pywebpush's encryption and VAPID signature, the service worker's push handler) is real.
"""

import json
import re
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from playwright.sync_api import expect

from consent.models import Purpose
from photos.services import photo_batch_start, photo_tags_set, photo_upload
from push.models import PushSubscription
from push.services import settings_save
from push.vapid import generate_pair
from tests.e2e.conftest import SW_READY, check_page, log_in
from tests.e2e.test_photo_journeys import jpeg
from tests.push.receiver import Browser, PushReceiver

pytestmark = pytest.mark.django_db(transaction=True)

FAKE_SUBSCRIBE = """(() => {
  const fake = %s;
  let subscribed = false;
  const subscription = {
    endpoint: fake.endpoint, toJSON: () => fake, unsubscribe: async () => true,
  };
  PushManager.prototype.subscribe = async function () { subscribed = true; return subscription; };
  PushManager.prototype.getSubscription = async function () {
    return subscribed ? subscription : null;
  };
})();"""
ALLOWED = re.compile(r"^Nieuwe foto's van Daan$")


@pytest.fixture
def push_service(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = generate_pair()
    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    receiver = PushReceiver()
    yield receiver
    receiver.stop()


def tag_a_batch_of_daan(cast):
    batch = photo_batch_start(group=cast.group_a, worker=cast.sanne)
    for seed in (1, 2, 3):
        upload = SimpleUploadedFile("camera.jpg", jpeg(seed), content_type="image/jpeg")
        with transaction.atomic():
            photo = photo_upload(
                group=cast.group_a, uploaded_by=cast.sanne, uploaded_file=upload, batch=batch
            )
        with transaction.atomic():  # the push task runs (eagerly) once this commits
            photo_tags_set(photo=photo, children=[cast.daan], tagged_by=cast.sanne)


def shown_notifications(page):
    return page.evaluate(
        """async () => {
          const registration = SW_READY;
          const shown = await registration.getNotifications();
          return shown.map((n) => ({ title: n.title, body: n.body, url: n.data.url }));
        }""".replace("SW_READY", SW_READY)
    )


def test_it_turns_on_push_and_delivers_a_photo_push_through_pywebpush_on_loopback(
    page, live_server, cast, statement, decide, push_service
):
    decide(cast.daan, Purpose.PHOTOS, by=cast.anna)
    keys = Browser()
    endpoint = push_service.endpoint("anna-phone")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.add_init_script(
        FAKE_SUBSCRIBE
        % json.dumps({"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}})
    )
    log_in(page, "anna@example.org")
    page.goto("/push/")
    expect(page.get_by_role("heading", name="Meldingen", exact=True)).to_be_visible()
    expect(page.get_by_text("geïnstalleerde app")).to_be_visible()
    check_page(page)
    page.get_by_label("Nieuws en nieuwsbrieven").uncheck()
    page.get_by_role("button", name="Meldingen aanzetten op dit apparaat").click()
    status = page.locator(".messages[role=status]")
    expect(status).to_contain_text("Meldingen staan aan op dit apparaat.")
    check_page(page)

    subscription = PushSubscription.objects.get(user=cast.anna)
    assert subscription.endpoint == endpoint
    assert subscription.kinds() == ["diary", "photos", "messages", "requests"]
    assert subscription.device  # "Chrome op Linux" or the like, from the User-Agent

    # Anna wants her pushes at any hour (no quiet hours), so the push goes out whenever CI runs.
    # (Travelling in time instead would make the live server see her session idle for hours.)
    settings_save(
        user=cast.anna, mode="now", quiet_start=time(0), quiet_end=time(0), digest_at=time(18)
    )
    tag_a_batch_of_daan(cast)

    (received,) = push_service.received  # three photos, one batch: one push
    assert received.path == "/push/anna-phone"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert received.headers["authorization"].startswith("vapid t=")
    pushed = keys.decrypt(received.body)
    assert pushed == {
        "title": "Ouderportaal",
        "body": "Nieuwe foto's van Daan",
        "url": "/",
        "tag": "ouderportaal",
    }
    assert all(ALLOWED.match(line) for line in pushed["body"].split("\n"))

    # The service worker's push handler shows exactly what was sent (delivered by DevTools,
    # as the push service would).
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # the event arrives while Playwright waits; later on a busy machine
        live = [r for r in registrations if not r.get("isDeleted")]
        if live:
            break
        page.wait_for_timeout(100)
    assert len(live) == 1, registrations
    (registration,) = live
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(pushed),
        },
    )
    page.wait_for_function(f"async () => (await {SW_READY}.getNotifications()).length")
    assert shown_notifications(page) == [
        {"title": "Ouderportaal", "body": "Nieuwe foto's van Daan", "url": "/"}
    ]
