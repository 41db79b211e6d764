"""User enumeration (issue 9): login, password reset, sign-up and invitations answer the same
for an e-mail address with an account and one without."""

import re

import pytest
from django.core import mail

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(response) -> str:
    return (
        TOKEN.sub("", response.text)
        .replace("anna@example.org", "EMAIL")
        .replace("nobody@example.org", "EMAIL")
    )


def test_it_answers_a_failed_login_identically(client, cast):
    known = client.post("/accounts/login/", {"login": "anna@example.org", "password": "nope"})
    client.cookies.clear()
    unknown = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "nope"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)


def test_it_rate_limits_known_and_unknown_addresses_alike(client, cast):
    answers = {}
    for email in ("anna@example.org", "nobody@example.org"):
        codes = []
        for _ in range(7):
            client.cookies.clear()
            codes.append(
                client.post("/accounts/login/", {"login": email, "password": "nope"}).status_code
            )
        answers[email] = codes
    assert answers["anna@example.org"] == answers["nobody@example.org"]


def test_it_answers_a_reset_request_identically(client, cast):
    known = client.post("/accounts/password/reset/", {"email": "anna@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _page(client.get(known["Location"])) == _page(client.get(unknown["Location"]))
    # Each mail goes only to the address typed in: the owner of the mailbox learns it, nobody
    # else does.
    for message in mail.outbox:
        assert len(message.to) == 1


def test_it_answers_a_signup_attempt_identically(client, cast):
    known = client.post(
        "/accounts/signup/",
        {
            "email": "anna@example.org",
            "password1": "Lang-wachtwoord-1",
            "password2": "Lang-wachtwoord-1",
        },
    )
    unknown = client.post(
        "/accounts/signup/",
        {
            "email": "nobody@example.org",
            "password1": "Lang-wachtwoord-1",
            "password2": "Lang-wachtwoord-1",
        },
    )
    assert known.status_code == unknown.status_code
    assert _page(known) == _page(unknown)


@pytest.mark.parametrize("email", ["bram@example.org", "opa.nieuw@example.org"])
def test_it_answers_a_staff_invitation_the_same_whether_the_address_has_an_account(
    client, cast, login, email, django_capture_on_commit_callbacks
):
    """Customer service adding a guardian (R27): the same page and the same kind of e-mail."""
    login(cast.service)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/children/{cast.daan.code}/",
            {"email": email, "relation": "parent"},
            follow=True,
        )
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/staff/children/{cast.daan.code}/", 302)]
    text = response.text.replace(email, "EMAIL")
    assert "EMAIL" in text or "uitnodiging" in text.lower()
    # The e-mail is the same kind of message either way.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    assert "wachtwoord" in mail.outbox[0].body.lower() or "/invitation/" in mail.outbox[0].body


@pytest.mark.parametrize("email", ["bram@example.org", "opa.nieuw@example.org"])
def test_it_answers_a_workers_request_the_same_whether_the_address_has_an_account(
    client, cast, login, email, django_capture_on_commit_callbacks
):
    login(cast.sanne)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/children/{cast.daan.code}/",
            {"email": email, "relation": "parent"},
            follow=True,
        )
    assert response.redirect_chain == [(f"/staff/children/{cast.daan.code}/", 302)]
    assert "klantenservice" in response.text.lower()
    assert not mail.outbox  # nothing leaves before customer service approves


def test_it_shows_the_invitation_page_only_to_the_token_holder(client, cast):
    """Whether an account exists for the invited address shows only behind the secret token
    that was mailed to that address; a guessed token is a plain 404."""
    response = client.get("/invitation/" + "x" * 43 + "/")
    assert response.status_code == 404
