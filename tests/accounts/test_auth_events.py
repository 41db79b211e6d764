"""Issue 19, finding 5 (ASVS 16.3.1): failed logins, lockouts, failed two-factor codes and
password changes left no authentication event. Each now logs one ``portal.auth`` line with the
account's id (never the typed address), and the request's own line names the event. Client
addresses only with LOG_CLIENT_IP."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="portal.auth")
    caplog.set_level(logging.INFO, logger="portal.request")

    def _events():
        return [(r.event, r.subject_id) for r in caplog.records if r.name == "portal.auth"]

    _events.records = lambda: caplog.records
    return _events


def everything_logged(records) -> str:
    return "\n".join(f"{r.getMessage()} {r.__dict__}" for r in records)


def login(client, email, password="portal-demo", **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_it_logs_a_failed_login_by_account_id_never_by_address(cast, client, events):
    login(client, "anna@example.org", "fout")
    login(client, "iemand@example.org", "fout")
    assert events() == [("login_failed", str(cast.anna.pk)), ("login_failed", "-")]
    logged = everything_logged(events.records())
    assert "anna@example.org" not in logged and "iemand@example.org" not in logged
    assert "127.0.0.1" not in logged
    request_lines = [r for r in events.records() if r.name == "portal.request"]
    assert request_lines[0].auth_events == ["login_failed"]


def test_it_logs_the_throttle(cast, client, events):
    for _ in range(4):
        login(client, "anna@example.org", "fout")
    assert ("login_throttled", str(cast.anna.pk)) in events()


def test_it_logs_a_failed_two_factor_code(cast, client, events):
    login(client, "sanne@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert ("mfa_failed", str(cast.sanne.pk)) in events()


def test_it_logs_logins_and_a_new_device(cast, events):
    phone = {"HTTP_USER_AGENT": "Telefoon/1.0"}
    for agent in (phone, phone, {"HTTP_USER_AGENT": "Tablet/2.0"}):
        client = Client()
        assert login(client, "anna@example.org", **agent).status_code == 302
    anna = str(cast.anna.pk)
    assert events() == [
        ("login", anna),
        ("login_new_device", anna),
        ("login", anna),  # the same phone again: known
        ("login", anna),
        ("login_new_device", anna),
    ]
    assert "Telefoon" not in str(type(cast.anna).objects.get(pk=cast.anna.pk).known_devices)


def test_it_logs_a_password_change(cast, client, events):
    login(client, "anna@example.org")
    new = "een-ander-wachtwoord-7"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "portal-demo", "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert ("password_changed", str(cast.anna.pk)) in events()


def test_it_logs_a_password_reset(cast, client, events):
    client.post("/accounts/password/reset/", {"email": "anna@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    page = client.get(link[1], follow=True)
    new = "een-nieuw-wachtwoord-42"
    client.post(page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert ("password_reset", str(cast.anna.pk)) in events()
    assert "anna@example.org" not in everything_logged(
        [r for r in events.records() if r.name == "portal.auth"]
    )


def test_it_logs_client_addresses_only_when_asked(cast, client, events, settings):
    login(client, "anna@example.org", "fout", REMOTE_ADDR="192.0.2.10")
    settings.LOG_CLIENT_IP = True
    login(client, "anna@example.org", "fout", REMOTE_ADDR="192.0.2.11")
    auth = [r for r in events.records() if r.name == "portal.auth"]
    assert not hasattr(auth[0], "client_ip")
    assert auth[1].client_ip == "192.0.2.11"
