"""Issue 19, finding 8 (ASVS 6.3.1): five wrong passwords locked any known account for five
minutes, so anyone could lock a parent or a worker out. Now failures are counted per client and
account with growing delays; the owner on another client is never affected, and the e-mailed
password-reset link works even from the attacker's own network."""

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def attempt(client, password, *, ip, email="anna@example.org"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_it_never_locks_the_owner_out_from_another_client(cast):
    attacker = Client()
    for _ in range(20):
        attempt(attacker, "raden-maar", ip=ATTACKER)
    owner = Client()
    assert logged_in(attempt(owner, "portal-demo", ip=OWNER))


def test_it_makes_one_client_wait_longer_after_each_failure(cast):
    attacker = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert "Te veel mislukte pogingen" not in attempt(attacker, "fout", ip=ATTACKER).text
        refused = attempt(attacker, "portal-demo", ip=ATTACKER)  # even the right password
        assert not logged_in(refused)
        assert "Probeer het over 15 seconden opnieuw" in refused.text
        assert "Wachtwoord vergeten?" in refused.text
    waited = 0
    for expected in (30, 60, 120):
        waited += expected // 2 + 1
        with time_machine.travel(start + timezone.timedelta(seconds=waited), tick=False):
            attempt(attacker, "fout", ip=ATTACKER)
            response = attempt(attacker, "fout", ip=ATTACKER)
            assert f"Probeer het over {expected} seconden opnieuw" in response.text, expected
        waited += expected


def test_it_lets_the_client_in_once_the_wait_is_over(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            attempt(client, "fout", ip=OWNER)
        assert not logged_in(attempt(client, "portal-demo", ip=OWNER))
    with time_machine.travel(start + timezone.timedelta(seconds=16), tick=False):
        assert logged_in(attempt(client, "portal-demo", ip=OWNER))


def test_it_answers_an_unknown_address_the_same(cast):
    client = Client()
    for email in ("anna@example.org", "niemand@example.org"):
        for _ in range(3):
            attempt(client, "fout", ip=ATTACKER, email=email)
    known = attempt(client, "fout", ip=ATTACKER).text
    unknown = attempt(client, "fout", ip=ATTACKER, email="niemand@example.org").text
    assert "Probeer het over 15 seconden opnieuw" in known
    assert "Probeer het over 15 seconden opnieuw" in unknown


def test_it_lets_the_owner_in_through_the_e_mailed_link_even_from_the_same_network(cast):
    client = Client()
    for _ in range(6):
        attempt(client, "fout", ip=ATTACKER)
    assert not logged_in(attempt(client, "portal-demo", ip=ATTACKER))
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "anna@example.org"}, REMOTE_ADDR=ATTACKER)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    page = client.get(link[1], REMOTE_ADDR=ATTACKER, follow=True)
    new = "een-nieuw-wachtwoord-42"
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link[1],
        {"password1": new, "password2": new},
        REMOTE_ADDR=ATTACKER,
    )
    assert done.status_code == 302
    assert logged_in(attempt(client, new, ip=ATTACKER))
