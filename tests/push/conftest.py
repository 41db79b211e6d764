import pytest

from push.vapid import generate_pair
from tests.photos.conftest import consented, make_photo  # noqa: F401  (fixtures)
from tests.push.receiver import Browser, PushReceiver


@pytest.fixture
def vapid_keys(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = generate_pair()
    settings.VAPID_SUBJECT = "mailto:beheer@example.org"
    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1", "fcm.googleapis.com"]
    return settings.VAPID_PUBLIC_KEY


@pytest.fixture
def receiver():
    found = PushReceiver()
    yield found
    found.stop()


@pytest.fixture
def subscribe(vapid_keys, receiver):
    """``subscribe(user, kinds=..., name=...)``: a browser's subscription stored through the
    service, pointing at the loopback receiver; returns (subscription, browser)."""
    from push.models import Kind
    from push.services import subscription_save

    def _subscribe(user, *, kinds=tuple(Kind.values), name=None):
        browser = Browser()
        subscription = subscription_save(
            user=user,
            endpoint=receiver.endpoint(name or user.first_name.lower() or "device"),
            p256dh=browser.p256dh,
            auth=browser.auth,
            kinds=list(kinds),
            device="Chrome op Android",
        )
        return subscription, browser

    return _subscribe
