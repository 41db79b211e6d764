"""The manifest's id, shortcuts and screenshots, and the service worker's push handlers."""

from pathlib import Path

from django.contrib.staticfiles import finders
from PIL import Image


def test_it_gives_the_manifest_an_id_shortcuts_and_screenshots(client):
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["id"] == "/"
    assert [(s["name"], s["url"]) for s in manifest["shortcuts"]] == [
        ("Vandaag", "/"),
        ("Berichten", "/messaging/"),
    ]
    assert len(manifest["screenshots"]) == 3
    for shot in manifest["screenshots"]:
        path = finders.find(shot["src"].removeprefix("/static/"))
        assert path, shot["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == shot["sizes"]
        assert shot["form_factor"] == "narrow" and shot["label"]


def test_it_loads_the_push_handlers_into_the_service_worker(client):
    body = client.get("/sw.js").content.decode()
    assert 'importScripts("/static/push/sw-push.js")' in body
    handlers = Path(finders.find("push/sw-push.js")).read_text()
    assert 'addEventListener("push"' in handlers
    assert 'addEventListener("notificationclick"' in handlers
    assert "self.location.origin" in handlers  # a tap never leaves the portal
