"""Open redirects via ``next`` (issue 9): login, logout, language switch, statement acceptance
and consent choices never send anyone to another site."""

import pytest

from consent.models import PrivacyStatement

EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    " https://evil.example/",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
]


def _stays_here(response):
    location = response.get("Location", "")
    assert "evil.example" not in location, location
    assert not location.lower().startswith("javascript:"), location
    return location


@pytest.mark.parametrize("target", EVIL)
def test_it_ignores_a_foreign_next_on_login(client, cast, target):
    response = client.post(
        f"/accounts/login/?next={target}",
        {"login": "anna@example.org", "password": "portal-demo", "next": target},
    )
    assert response.status_code == 302
    _stays_here(response)
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("target", EVIL)
def test_it_ignores_a_foreign_next_on_logout(client, cast, login, target):
    login(cast.anna)
    response = client.post("/accounts/logout/", {"next": target})
    assert response.status_code == 302
    _stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_it_ignores_a_foreign_next_on_the_language_switch(client, db, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert _stays_here(response) == "/"
    response = client.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER=target)
    assert _stays_here(response) == "/"


@pytest.mark.parametrize("target", EVIL)
def test_it_ignores_a_foreign_next_when_accepting_the_statement(client, cast, login, target):
    statement = PrivacyStatement.objects.create(
        version=1, text_nl="Verklaring", text_en="Statement", published_at="2020-01-01T00:00Z"
    )
    login(cast.bram)
    response = client.post(
        f"/consent/statement/?next={target}",
        {"version": statement.version, "next": target},
    )
    assert response.status_code == 302
    assert statement.acceptances.filter(user=cast.bram).exists()
    # On to the choices page (Finn has open questions), carrying only a local next.
    assert _stays_here(response).startswith("/consent/choices/")


@pytest.mark.parametrize("target", EVIL)
def test_it_ignores_a_foreign_next_on_the_choices_page(client, cast, login, decide, target):
    login(cast.anna)
    response = client.post(f"/consent/choices/?next={target}", {"later": "1", "next": target})
    assert response.status_code == 302
    assert _stays_here(response) == "/"
    # Saving the choices, and opening the page with nothing left to choose.
    response = client.post(
        f"/consent/choices/?next={target}",
        {
            f"{cast.daan.code}-photos": "yes",
            f"{cast.daan.code}-diary": "yes",
            f"{cast.eva.code}-photos": "no",
            f"{cast.eva.code}-diary": "no",
            "next": target,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert _stays_here(response) == "/consent/"
    response = client.get(f"/consent/choices/?next={target}")
    assert _stays_here(response) == "/consent/"


def test_it_still_follows_a_local_next(client, cast, login, statement):
    """The control: a local ``next`` is honoured, so the tests above can fail."""
    login(cast.anna)
    response = client.post("/consent/choices/?next=/messaging/", {"later": "1"})
    assert response["Location"] == "/messaging/"
