"""Two-factor login is required for staff pages and Django admin (R23)."""

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import totp_now

pytestmark = pytest.mark.django_db


def _password_login(client, email):
    return client.post("/accounts/login/", {"login": email, "password": "portal-demo"})


def test_it_asks_sanne_for_a_totp_code_before_anything_opens(client, cast):
    response = _password_login(client, "sanne@example.org")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_it_opens_staff_pages_after_password_and_totp(client, cast):
    _password_login(client, "sanne@example.org")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Groep A" in page.text and "Daan" in page.text


def test_it_refuses_a_wrong_totp_code(client, cast):
    _password_login(client, "sanne@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session


def test_it_sends_staff_without_an_authenticator_to_set_one_up(client, cast, login):
    Authenticator.objects.filter(user=cast.tom).delete()
    login(cast.tom, two_factor=False)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_it_asks_staff_logged_in_without_two_factor_to_confirm_a_code(client, cast, login):
    login(cast.sanne, two_factor=False)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    client.post(response["Location"], {"code": totp_now()})
    assert client.get("/staff/").status_code == 200


def test_it_requires_two_factor_for_django_admin(client, cast, login):
    login(cast.admin, two_factor=False)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]
    login(cast.admin)
    assert client.get("/beheer/").status_code == 200


def test_it_sends_anonymous_admin_visitors_to_the_rate_limited_portal_login(client, db):
    response = client.get("/beheer/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith("/accounts/login/")


def test_it_keeps_staff_pages_from_parents(client, cast, login):
    login(cast.anna)
    assert client.get("/staff/").status_code == 404


def test_it_lets_parents_log_in_without_two_factor(client, cast):
    _password_login(client, "anna@example.org")
    assert client.get("/").status_code == 200


def test_it_lets_a_parent_turn_on_two_factor(client, cast):
    _password_login(client, "anna@example.org")
    # Turning on two-factor asks for the password again first (re-authentication).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": "portal-demo"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert Authenticator.objects.filter(user=cast.anna, type="totp").exists()


def test_it_stores_totp_secrets_encrypted(cast):
    from daycare.demo import DEMO_TOTP_SECRET

    stored = Authenticator.objects.get(user=cast.sanne, type="totp").data["secret"]
    assert DEMO_TOTP_SECRET not in stored
    assert stored.startswith("fernet:")
