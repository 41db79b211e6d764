import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_it_logs_a_parent_in_with_email_and_password(client, cast):
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert "Daan" in home.text and "Eva" in home.text


def test_it_refuses_a_wrong_password_without_saying_whether_the_account_exists(client, cast):
    known = client.post("/accounts/login/", {"login": "anna@example.org", "password": "nope"})
    unknown = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "nope"})
    assert known.status_code == unknown.status_code == 200
    known_errors = known.context["form"].non_field_errors()
    unknown_errors = unknown.context["form"].non_field_errors()
    assert list(known_errors) == list(unknown_errors)
    assert "_auth_user_id" not in client.session


def test_it_rate_limits_failed_logins(client, cast):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "anna@example.org", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_it_sends_a_reset_mail_only_to_known_accounts_but_answers_the_same(client, cast):
    known = client.post("/accounts/password/reset/", {"email": "anna@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    recipients = [m.to for m in mail.outbox]
    assert ["anna@example.org"] in recipients
    assert all("nobody@example.org" not in to for to in recipients[1:] if "reset" in str(to))


def test_it_has_no_public_signup(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "closed" in response.text.lower() or "gesloten" in response.text.lower()
    response = client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": "long-password-1", "password2": "long-password-1"},
    )
    from accounts.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_it_requires_login_for_the_home_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_logs_out_with_post(client, cast, login):
    login(cast.anna, two_factor=False)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
