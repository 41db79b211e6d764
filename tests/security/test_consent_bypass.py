"""Consent bypass (issue 9): after a withdrawal nothing of the child's photos or diary is
reachable: not by a direct file URL (any size, as a download, in a ZIP), not from a page the
browser kept (cache, back button), not through another page that embeds it."""

import pytest
from django.test import Client

from consent.models import Purpose
from tests.security.world import build_world, withdraw

GATED_PAGES = [
    "/diary/{daan}/",
    "/diary/{daan}/print/",
    "/diary/{daan}/note/",
    "/photos/child/{daan}/",
]


@pytest.fixture
def world(cast, decide, django_capture_on_commit_callbacks):
    return build_world(cast, decide, django_capture_on_commit_callbacks)


def _pages(world):
    return [page.format(daan=world.daan.code) for page in GATED_PAGES]


def _photo_urls(photo):
    return [f"/photos/p/{photo.code}/{size}/" for size in ("thumb", "display", "original")] + [
        f"/photos/p/{photo.code}/display/?download=1"
    ]


def test_it_closes_every_file_url_of_a_photo_after_withdrawal(client, login, world, decide):
    login(world.anna)
    urls = _photo_urls(world.photo)
    assert all(client.get(url).status_code == 200 for url in urls)
    withdraw(world, decide)
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Mila is in the same photo: dewi no longer gets it either (every tagged child must consent).
    login(world.dewi)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_it_leaves_no_photo_in_a_zip_after_withdrawal(client, login, world, decide):
    login(world.anna)
    withdraw(world, decide)
    response = client.post(f"/photos/child/{world.daan.code}/zip/", {"photo": world.photo.code})
    assert response.status_code == 403
    # Eva's ZIP (consent given) cannot carry Daan's photo either.
    response = client.post(f"/photos/child/{world.eva.code}/zip/", {"photo": world.photo.code})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert world.photo.original_key.rsplit("/", 1)[-1].encode() not in body
    assert b"PK\x03\x04" not in body


def test_it_marks_gated_pages_and_files_as_never_stored(client, login, world):
    """The browser may not keep them (cache, back/forward cache), so a withdrawal is final."""
    login(world.anna)
    for url in _pages(world) + _photo_urls(world.photo):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (url, cache_control)


def test_it_answers_the_back_button_with_the_closed_page(client, login, world, decide):
    """Going back to a page after withdrawal asks the server again (no-store above) and gets
    the "this feature is off" page, without the child's data."""
    login(world.anna)
    before = {url: client.get(url) for url in _pages(world)}
    assert "Daan heeft gespeeld." in before[f"/diary/{world.daan.code}/"].text
    withdraw(world, decide)
    for url in before:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Daan heeft gespeeld." not in response.text
        assert world.photo.code not in response.text


def test_it_drops_photo_links_from_the_diary_after_photo_withdrawal(client, login, world, decide):
    login(world.anna)
    assert world.photo.code in client.get(f"/diary/{world.daan.code}/").text
    decide(world.daan, Purpose.PHOTOS, given=False, by=world.chris)
    timeline = client.get(f"/diary/{world.daan.code}/")
    assert timeline.status_code == 200
    assert world.photo.code not in timeline.text
    assert world.photo.code not in client.get("/").text


def test_it_keeps_the_other_guardian_out_too(world, decide):
    """chris withdrew; anna's consent is not enough (one refusal closes it)."""
    withdraw(world, decide)
    for user in (world.anna, world.chris):
        client = Client()
        client.force_login(user)
        assert client.get(f"/diary/{world.daan.code}/").status_code == 403
        assert client.get(_photo_urls(world.photo)[0]).status_code == 404


def test_it_keeps_staff_from_the_files_of_a_withdrawn_child(client, login, world, decide):
    withdraw(world, decide)
    login(world.sanne)
    for size in ("thumb", "display", "original"):
        url = f"/staff/photos/p/{world.photo.code}/{size}/"
        assert client.get(url).status_code == 404, url
