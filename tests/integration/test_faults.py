"""Faults without surprises (issue 21), on the real stack.

- Redis down: people can still log in (parents, staff with two-factor) and ask for a password
  reset; a logout during the outage stays a logout once Redis is back.
"""

import pytest
import requests

from tests.integration.conftest import CSRF, Person

pytestmark = pytest.mark.integration


def test_it_lets_people_log_in_and_reset_their_password_while_redis_is_down(stack, services):
    services.stop_redis()
    try:
        dewi = Person(stack.url(0)).log_in("dewi@example.org")  # asserts the login worked
        assert dewi.get("/").status_code == 200
        # Staff log in with password and two-factor code (the used-code check is a cache add).
        sanne = Person(stack.url(1)).log_in("sanne@example.org")
        assert sanne.get("/staff/").status_code == 200
        stranger = Person(stack.url(0))
        reset = stranger.post_form(
            "/accounts/password/reset/", {"email": "anna@example.org"}, allow_redirects=False
        )
        assert reset.status_code == 302, reset.status_code
        assert "/accounts/password/reset/done/" in reset.headers["Location"]
    finally:
        services.start_redis()


def test_it_keeps_a_logout_during_a_redis_outage(stack, services):
    dewi = Person(stack.url(0)).log_in("dewi@example.org")
    assert dewi.get("/").status_code == 200  # the session is in use (and was cached, before)
    cookie = dewi.cookies.get("sessionid")
    assert cookie

    services.stop_redis()
    try:
        page = dewi.get("/")
        token = CSRF.search(page.text).group(1)
        response = dewi.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": stack.url(0) + "/"},
            allow_redirects=False,
        )
        assert response.status_code == 302
    finally:
        services.start_redis()

    for node in (0, 1):
        old = requests.Session()
        old.cookies.set("sessionid", cookie)
        response = old.get(f"{stack.url(node)}/", allow_redirects=False, timeout=10)
        assert response.status_code == 302, f"node {node + 1}: the old cookie works again"
        assert "/accounts/login/" in response.headers["Location"]
