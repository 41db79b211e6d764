"""Faults without surprises (issue 21), the parts a fast test can show; the same on the real
stack is in tests/integration/test_faults.py."""

import pytest
from django.contrib.sessions.models import Session

from tests.security.test_hardening import production_settings

pytestmark = pytest.mark.django_db


def test_it_answers_too_many_attempts_in_dutch(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    data = {"login": "anna@example.org", "password": "verkeerd-wachtwoord"}
    client.post("/accounts/login/", data)
    response = client.post("/accounts/login/", data)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text and 'lang="nl"' in response.text
    assert "Too Many Requests" not in response.text


def test_it_keeps_sessions_in_the_database_only_also_with_redis():
    """A cached copy of a session outlived a logout during a Redis outage: no copy, no ghost."""
    found = production_settings("SESSION_ENGINE")
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_it_ends_the_session_for_good_on_logout_whatever_the_cache_held(client, cast, login):
    """A cache that missed the logout (Redis down at that moment) still holds the session as
    a cached session engine would have stored it; put it back after the logout, in whatever
    cache is configured (local memory or Redis): the old cookie must not work again."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    login(cast.anna)
    assert client.get("/").status_code == 200
    cookie = client.cookies["sessionid"].value
    held = Session.objects.get(session_key=cookie).get_decoded()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    cache.set(KEY_PREFIX + cookie, held, 3600)
    client.cookies["sessionid"] = cookie
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_signs_media_urls_for_ten_seconds_by_default_and_refuses_a_long_lifetime():
    from tests.security.test_hardening import run_python

    found = production_settings("MEDIA_SIGNED_URL_SECONDS")
    assert found["MEDIA_SIGNED_URL_SECONDS"] == 10
    done = run_python("import django; django.setup()", MEDIA_SIGNED_URL_SECONDS="3600")
    assert done.returncode != 0
    assert "MEDIA_SIGNED_URL_SECONDS must be between 1 and 300" in done.stderr
