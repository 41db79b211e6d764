import json

import pytest

pytestmark = pytest.mark.django_db


def test_it_serves_a_web_app_manifest_with_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    from django.contrib.staticfiles import finders

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_it_serves_a_service_worker_that_never_caches_pages_or_files(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.text
    assert "/offline/" in body
    # Only the shell list is ever put in the cache.
    assert body.count("cache.put") == 0 and "cache.addAll(SHELL)" in body


def test_it_shows_an_offline_page_without_login(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "Geen verbinding" in response.text
