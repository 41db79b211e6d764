"""The error pages a parent can meet, in a real browser on a phone (issue 9): Dutch, accessible,
no horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_a_dutch_404_for_another_familys_child(page, cast, statement):
    log_in(page, "bram@example.org")
    response = page.goto(f"/children/{cast.daan.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
    expect(page.get_by_text("Daan")).to_have_count(0)
    check_page(page)
