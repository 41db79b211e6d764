"""The notification settings page: this device on, kinds per device, quiet hours or a digest.
Bad input gets a clear message and changes nothing; someone else's device is a 404."""

from datetime import time

import pytest
from django.urls import reverse

from push.models import PushSettings, PushSubscription
from tests.push.receiver import Browser

pytestmark = pytest.mark.django_db
ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"


def subscription_data(browser=None, endpoint="https://fcm.googleapis.com/fcm/send/abc123", **extra):
    browser = browser or Browser()
    data = {
        "endpoint": endpoint,
        "p256dh": browser.p256dh,
        "auth": browser.auth,
        "kinds": ["photos", "diary"],
    }
    data.update(extra)
    return data


def test_it_shows_the_page_with_what_a_push_says_and_the_ios_note(
    cast, statement, login, vapid_keys
):
    response = login(cast.anna).get(reverse("push:settings"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nieuwe foto&#x27;s van Daan" in text or "Nieuwe foto's van Daan" in text
    assert "geïnstalleerde app" in text
    assert f'data-key="{vapid_keys}"' in text
    assert "Stille uren vanaf" in text


def test_it_names_the_readers_own_child_in_the_example(cast, statement, login):
    text = login(cast.dewi).get(reverse("push:settings")).content.decode()
    assert "van Mila" in text
    assert "Daan" not in text


def test_it_says_so_when_push_is_not_configured(cast, statement, login, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    text = login(cast.anna).get(reverse("push:settings")).content.decode()
    assert "nog niet beschikbaar" in text
    assert "push-subscribe" not in text


def test_it_sends_a_stranger_to_the_login_page(client):
    response = client.get(reverse("push:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_stores_this_devices_subscription_with_the_chosen_kinds(
    cast, statement, login, vapid_keys
):
    client = login(cast.anna)
    response = client.post(reverse("push:subscribe"), subscription_data(), HTTP_USER_AGENT=ANDROID)
    assert response.status_code == 302
    subscription = PushSubscription.objects.get(user=cast.anna)
    assert subscription.kinds() == ["diary", "photos"]
    assert subscription.device == "Chrome op Android"
    page = client.get(reverse("push:settings")).content.decode()
    assert "Chrome op Android" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"endpoint": "https://evil.example.org/push/1"}, "wordt niet ondersteund"),
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/1"}, "wordt niet ondersteund"),
        ({"endpoint": "https://10.0.0.1/fcm.googleapis.com"}, "wordt niet ondersteund"),
        ({"endpoint": "https://fcm.googleapis.com.evil.example/x"}, "wordt niet ondersteund"),
        ({"endpoint": ""}, "onvolledige aanmelding"),
        ({"p256dh": "bm90LWEta2V5"}, "onvolledige aanmelding"),
        ({"p256dh": "***"}, "onvolledige aanmelding"),
        ({"auth": "c2hvcnQ"}, "onvolledige aanmelding"),
        ({"kinds": []}, "ten minste één soort"),
        ({"kinds": ["photos", "everything"]}, "geldige keuze"),
    ],
)
def test_it_refuses_a_bad_subscription_with_a_message_and_stores_nothing(
    cast, statement, login, vapid_keys, change, message
):
    response = login(cast.anna).post(reverse("push:subscribe"), subscription_data(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_it_refuses_a_subscription_when_push_is_not_configured(cast, statement, login, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    response = login(cast.anna).post(reverse("push:subscribe"), subscription_data())
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_it_gives_a_shared_browser_to_the_person_who_subscribed_last(
    cast, statement, client, login, vapid_keys
):
    data = subscription_data()
    login(cast.anna).post(reverse("push:subscribe"), data)
    login(cast.chris).post(reverse("push:subscribe"), {**data, "kinds": ["messages"]})
    (subscription,) = PushSubscription.objects.all()
    assert subscription.user == cast.chris
    assert subscription.kinds() == ["messages"]


def test_it_changes_the_kinds_of_a_device_and_turns_it_off(cast, statement, login, subscribe):
    subscription, _browser = subscribe(cast.anna)
    client = login(cast.anna)
    url = reverse("push:device", args=[subscription.code])
    response = client.post(url, {f"{subscription.code}-kinds": ["news"]})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.kinds() == ["news"]
    client.post(url, {})  # nothing ticked: off for this device
    assert not PushSubscription.objects.exists()


def test_it_removes_a_device(cast, statement, login, subscribe):
    subscription, _browser = subscribe(cast.anna)
    response = login(cast.anna).post(reverse("push:device_remove", args=[subscription.code]))
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_it_refuses_an_unknown_kind_for_a_device_and_changes_nothing(
    cast, statement, login, subscribe
):
    subscription, _browser = subscribe(cast.anna, kinds=["photos"])
    url = reverse("push:device", args=[subscription.code])
    response = login(cast.anna).post(url, {f"{subscription.code}-kinds": ["all"]}, follow=True)
    assert "Onbekende soort melding" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.kinds() == ["photos"]


@pytest.mark.parametrize("name", ["push:device", "push:device_remove"])
def test_it_answers_404_for_someone_elses_device_and_changes_nothing(
    cast, statement, login, subscribe, name
):
    subscription, _browser = subscribe(cast.anna, kinds=["photos"])
    url = reverse(name, args=[subscription.code])
    response = login(cast.bram).post(url, {f"{subscription.code}-kinds": ["news"]})
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.kinds() == ["photos"]
    assert reverse(name, args=["AAAAAAAAAAAAAAAA"])  # a code that does not exist: same answer
    assert login(cast.anna).post(reverse(name, args=["AAAAAAAAAAAAAAAA"])).status_code == 404


def test_it_saves_quiet_hours_and_the_digest(cast, statement, login):
    response = login(cast.anna).post(
        reverse("push:timing"),
        {"mode": "digest", "quiet_start": "22:00", "quiet_end": "06:30", "digest_at": "19:00"},
    )
    assert response.status_code == 302
    found = PushSettings.objects.get(user=cast.anna)
    assert (found.mode, found.quiet_start, found.quiet_end, found.digest_at) == (
        "digest",
        time(22, 0),
        time(6, 30),
        time(19, 0),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "often", "quiet_start": "22:00", "quiet_end": "06:30", "digest_at": "19:00"},
        {"mode": "now", "quiet_start": "25:00", "quiet_end": "06:30", "digest_at": "19:00"},
        {"mode": "now", "quiet_start": "22:00", "quiet_end": "", "digest_at": "19:00"},
    ],
)
def test_it_refuses_bad_timing_and_changes_nothing(cast, statement, login, data):
    PushSettings.objects.create(user=cast.anna)
    response = login(cast.anna).post(reverse("push:timing"), data)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    found = PushSettings.objects.get(user=cast.anna)
    assert (found.mode, found.quiet_start, found.quiet_end) == ("now", time(21), time(7))


def test_it_renders_the_page_in_the_same_number_of_queries_for_more_devices(
    cast, statement, login, subscribe, django_assert_num_queries
):
    client = login(cast.anna)
    subscribe(cast.anna, name="one")
    client.get(reverse("push:settings"))  # warm up (session, statement)
    with django_assert_num_queries(6) as one:
        client.get(reverse("push:settings"))
    subscribe(cast.anna, name="two")
    subscribe(cast.anna, name="three")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("push:settings"))
