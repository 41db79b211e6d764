"""Real-browser tests: Playwright for Python driving Debian's Chromium against a live server.

Chromium comes from Debian (`bin/system-deps chromium`, run by `make test`), never from
Playwright's own download. Phone viewport, Dutch locale, Europe/Amsterdam.
"""

import os
import shutil
import time

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # live_server teardown with Playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: run bin/system-deps chromium (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def totp_code(secret="OUDERPORTAALDEMOTOTPSECRET234567", used=set()):  # noqa: B006
    """A TOTP code not used before in this test run (allauth refuses a code twice)."""
    from tests.conftest import totp_now

    while True:
        code = totp_now(secret)
        if code not in used:
            used.add(code)
            return code
        time.sleep(1)


def log_in(page, email, *, password="portal-demo"):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if "/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(totp_code())
        page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()


def check_accessibility(page):
    """axe-core, WCAG 2.1 A and AA: zero violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"
