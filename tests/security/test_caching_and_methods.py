"""Issue 19, findings 2 and 6: what a browser may keep, and which methods reach a view.

Finding 2 (ASVS 14.3.2): 22 pages with personal data sent no ``Cache-Control``; a logout left
the browser's cache and storage as they were. Finding 6 (ASVS 13.4.4): ``TRACE`` and
``OPTIONS`` got 200 with the full content, the export ZIP included.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import mark_two_factor
from tests.security.patterns import all_patterns
from tests.security.test_access_matrix import urls_for
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anna", "sanne", "service"])
def test_it_forbids_storing_every_response_to_a_logged_in_person(
    who, cast, decide, django_capture_on_commit_callbacks
):
    """Every URL pattern of the project, as a parent, a worker and customer service: whatever
    the answer (page, file, redirect, 404), the browser is told not to keep it."""
    world = build_world(cast, decide, django_capture_on_commit_callbacks)
    user = world.users[who]
    client = Client()
    client.force_login(user)
    mark_two_factor(client, user)
    wrong = []
    for pattern in all_patterns():
        if pattern.key in {"account_logout"}:
            continue  # would end the session for the rest of the loop; tested below
        for url in urls_for(world, pattern):
            response = client.get(url)
            if response.get("Cache-Control") != "private, no-store":
                wrong.append(f"{url}: {response.status_code} {response.get('Cache-Control')}")
    assert not wrong, "\n".join(wrong)


def test_it_leaves_public_pages_cacheable(client):
    assert "no-store" not in client.get("/manifest.webmanifest")["Cache-Control"]
    assert "private" not in client.get("/offline/").get("Cache-Control", "")


def test_it_clears_the_browsers_data_at_logout(cast, login, client):
    login(cast.anna)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Clear-Site-Data" not in client.get("/accounts/login/")


def test_it_clears_cache_and_storage_at_an_idle_logout_but_keeps_its_notice(
    cast, login, client, settings
):
    import time_machine
    from django.utils import timezone

    login(cast.anna)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=2), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Clear-Site-Data"] == '"cache", "storage"'
        notice = client.get(response["Location"])
    assert "niet actief" in notice.text


def test_it_keeps_the_service_worker_away_from_pages(client):
    """The service worker caches its shell list only; nothing in it needs a login."""
    body = client.get("/sw.js").text
    assert "cache.put" not in body
    shell = body.split("const SHELL = [", 1)[1].split("];", 1)[0]
    for line in shell.split(","):
        url = line.strip().strip('"')
        if url:
            assert url == "/offline/" or url.startswith("/static/"), url
            assert Client().get(url).status_code in {200, 404}, url  # no login redirect


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"])
def test_it_refuses_every_method_but_get_head_and_post(
    method, cast, decide, login, client, django_capture_on_commit_callbacks
):
    world = build_world(cast, decide, django_capture_on_commit_callbacks)
    login(cast.anna)
    download = reverse("retention:download", kwargs={"code": world.export.code})
    assert client.get(download).status_code == 200  # the ZIP itself, by GET
    for path in ("/", download, "/account/details/", "/health/live/", "/accounts/login/"):
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD, POST"
        assert not response.content


def test_it_still_answers_head(cast, login, client):
    login(cast.anna)
    response = client.head("/")
    assert response.status_code == 200
