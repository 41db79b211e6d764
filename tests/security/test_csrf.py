"""CSRF on every state-changing route (issue 9): a POST without a token is refused with 403 and
changes nothing, for every URL pattern the resolver knows; no view is ``csrf_exempt``."""

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import mark_two_factor
from tests.security.patterns import all_patterns
from tests.security.test_access_matrix import EXPECT, is_admin, urls_for
from tests.security.world import COLUMNS, build_world

# Views that may skip CSRF checks, with the reason. Keep it empty unless there is a real case.
CSRF_EXEMPT_ALLOWED: dict[str, str] = {}

# Tables that change on any request (sessions and their tracking), not through the view.
VOLATILE = {"sessions.session", "usersessions.usersession"}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model.objects.count()
        for model in apps.get_models()
        if model._meta.label_lower not in VOLATILE and model._meta.managed
    }


def test_it_has_no_csrf_exempt_views():
    exempt = {
        pattern.key for pattern in all_patterns() if getattr(pattern.callback, "csrf_exempt", False)
    }
    assert exempt == set(CSRF_EXEMPT_ALLOWED)


def test_it_refuses_every_post_without_a_token_and_changes_nothing(
    cast, decide, django_capture_on_commit_callbacks
):
    world = build_world(cast, decide, django_capture_on_commit_callbacks)
    clients = {}

    def client_for(column):
        if column not in clients:
            client = Client(enforce_csrf_checks=True)
            if column != "anonymous":
                user = world.users[column]
                client.force_login(user)
                mark_two_factor(client, user)
            clients[column] = client
        return clients[column]

    before = _row_counts()
    accepted = []
    posted = 0
    for pattern in all_patterns():
        if is_admin(pattern.key):
            column = "admin"
        else:
            row = EXPECT[pattern.key].split()
            # The first who gets the page (200) or is told to POST (405): the refusal is then
            # the CSRF check, not access.
            allowed = [
                c for c, code in zip(COLUMNS[:-1], row, strict=False) if code in {"200", "405"}
            ]
            # Nobody may open it (e.g. another user's export): try as customer service.
            column = allowed[0] if allowed else "service"
        for url in urls_for(world, pattern):
            response = client_for(column).post(url, {"next": "/", "email": "x@example.org"})
            posted += 1
            if response.status_code != 403:
                accepted.append(f"{pattern.key} {url} as {column}: {response.status_code}")
    assert posted > 250
    assert not accepted, "\n".join(accepted)
    assert _row_counts() == before


def test_it_accepts_the_same_post_with_a_token(cast, statement):
    """The control: the refusal above is the CSRF check, not something else."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.anna)
    client.get("/account/details/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/account/details/",
        {"first_name": "Anna", "last_name": "Bos", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    cast.anna.refresh_from_db()
    assert cast.anna.last_name == "Bos"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_it_refuses_anonymous_auth_posts_without_a_token(db, path):
    response = Client(enforce_csrf_checks=True).post(path, {"login": "a@example.org"})
    assert response.status_code == 403
