"""Log in as a parent and as staff in a real browser; the pages pass axe and fit a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_horizontal_scroll, check_accessibility, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_a_dutch_login_page_that_passes_axe(page, cast):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", name="Inloggen op het ouderportaal")).to_be_visible()
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)


def test_it_lets_anna_log_in_and_see_her_children(page, cast):
    log_in(page, "anna@example.org")
    expect(page.get_by_role("heading", name="Daan vandaag")).to_be_visible()
    children = page.get_by_role("navigation", name="Uw kinderen")
    expect(children.get_by_role("link", name="Eva")).to_be_visible()
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)


def test_it_makes_sanne_pass_two_factor_before_the_staff_pages(page, cast):
    log_in(page, "sanne@example.org")
    page.goto("/staff/")
    expect(page.get_by_role("heading", name="Mijn groepen")).to_be_visible()
    check_accessibility(page)
    assert not page.console_errors
