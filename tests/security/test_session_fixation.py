"""Session fixation (issue 9): a session id planted before login is worthless afterwards; the id
changes at the password step's login and again after the two-factor step (allauth)."""

from django.test import Client

from tests.conftest import totp_now


def _planted(client: Client) -> str:
    """An attacker's session id, set in the victim's browser before login."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session.session_key


def _key(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_it_gives_a_parent_a_new_session_id_at_login(client, cast):
    planted = _planted(client)
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"}
    )
    assert response.status_code == 302
    assert _key(client) != planted
    # The attacker's copy of the old id is not logged in.
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get("/").status_code == 302
    assert attacker.get("/diary/" + cast.daan.code + "/").status_code == 302


def test_it_changes_the_session_id_after_the_two_factor_step(client, cast):
    planted = _planted(client)
    response = client.post(
        "/accounts/login/", {"login": "sanne@example.org", "password": "portal-demo"}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    after_password = _key(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302
    after_two_factor = _key(client)
    assert after_two_factor not in (planted, after_password)
    assert client.get("/staff/").status_code == 200
    for stale in {planted, after_password}:
        attacker = Client()
        attacker.cookies["sessionid"] = stale
        assert attacker.get("/staff/").status_code == 302


def test_it_does_not_log_in_a_planted_session_halfway_through_two_factor(client, cast):
    """Who holds the id between password and code has no staff access."""
    client.post("/accounts/login/", {"login": "sanne@example.org", "password": "portal-demo"})
    halfway = Client()
    halfway.cookies["sessionid"] = _key(client)
    assert halfway.get("/staff/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_drops_the_session_at_logout(client, cast, login):
    login(cast.anna)
    before = _key(client)
    client.post("/accounts/logout/")
    again = Client()
    again.cookies["sessionid"] = before
    assert again.get("/").status_code == 302
