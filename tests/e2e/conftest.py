"""Real-browser tests: Playwright for Python driving Debian's Chromium against a live server.

Chromium comes from Debian (`bin/system-deps chromium`, run by `make test`), never from
Playwright's own download. Phone viewport, Dutch locale, Europe/Amsterdam.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

# expect() retries until its timeout: 10 s, as for the page's own waits, on a loaded CI machine.
expect.set_options(timeout=10_000)

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
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server, answering one request at a time on in-memory SQLite.

    It starts after the test database exists, so that it shares the test's in-memory SQLite
    connection (otherwise it opens its own and two at once fail with "database table is
    locked"); one connection cannot serve parallel requests, hence one at a time. On PostgreSQL
    each request has its own connection and the server stays threaded, as in production.
    """
    from django.core.servers.basehttp import WSGIServer
    from pytest_django.live_server_helper import LiveServer

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    addr = os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


def chromium_path() -> str:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: run bin/system-deps chromium (make test does).")
    return executable


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport=PHONE)``: a page in a fresh browser context (its own cookies, so
    one test can have a parent and a group worker side by side)."""
    contexts = []

    def _open(viewport=PHONE):
        context = browser.new_context(
            viewport=viewport,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors = []

        def on_console(msg):
            # A page answered with 400/403/404 on purpose is checked by the test itself; a
            # failing script, style or image is caught below by its response.
            if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
                errors.append(msg.text)

        def on_response(response):
            if response.request.resource_type == "document" and response.frame == page.main_frame:
                page.document_response = response  # the HTML the server sent (check_html)
            elif response.status >= 400:
                errors.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        page.console_errors = errors
        page.document_response = None
        return page

    yield _open
    for context in contexts:
        context.close()
    wait_for_requests_to_end()


def wait_for_requests_to_end(timeout: float = 15) -> None:
    """Before the database is emptied for the next test: wait until no request of a closed
    page (a thumbnail, an upload a service worker sent) is still running in the live server.
    On PostgreSQL a TRUNCATE beside such a request deadlocks (seen on a loaded machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.1)


@pytest.fixture
def page(open_page):
    return open_page(PHONE)


_used_codes: set[tuple[str, str]] = set()


@pytest.fixture(autouse=True)
def _forget_used_codes():
    """allauth remembers used TOTP codes in the cache, which every test starts with empty."""
    _used_codes.clear()


def totp_code(email="", secret="OUDERPORTAALDEMOTOTPSECRET234567"):
    """A TOTP code this user has not used yet in this test (allauth refuses a code twice)."""
    from tests.conftest import totp_now

    while True:
        # allauth accepts only the current 30-second window (no tolerance): a code taken in
        # its last seconds may reach the server in the next one, so wait for a fresh window.
        remaining = 30 - time.time() % 30
        if remaining < 4:
            time.sleep(remaining + 0.1)
        code = totp_now(secret)
        if (email, code) not in _used_codes:
            _used_codes.add((email, code))
            return code
        time.sleep(1)


def log_in(page, email, *, password="portal-demo"):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    # Wait for the answer to the POST: page.url still shows the login page until it arrives.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(totp_code(email))
        page.locator("main button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def reauthenticate(page, *, password="portal-demo"):
    """allauth's re-authentication before an export or an erasure: the password again, then
    the portal carries out what was asked."""
    page.wait_for_url("**/accounts/reauthenticate/**")
    check_page(page)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/reauthenticate/" not in url)


def check_accessibility(page):
    """axe-core, WCAG 2.1 A and AA: zero violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px viewport"


ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
_html_checker: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def html_checker():
    """The Nu Html Checker (npm ``vnu-jar``, on the machine's Java) as a local web service for
    the whole session: one JVM, then about 50 ms a page. Installed from package-lock.json into
    node_modules/ (not committed) when missing, as ``bin/system-deps`` does."""
    if not VNU_JAR.exists():
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT)
    if not VNU_JAR.exists() or shutil.which("java") is None:
        pytest.fail("The Nu Html Checker needs Java and node_modules: run bin/system-deps.")
    port = _free_port()
    process = subprocess.Popen(
        [
            "java",
            "-Xss1m",
            "-Dnu.validator.servlet.bind-address=127.0.0.1",
            "-cp",
            str(VNU_JAR),
            "nu.validator.servlet.Main",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/?out=json"
    deadline = time.monotonic() + 60
    while True:
        try:
            _post_html(url, "<!DOCTYPE html><html lang=en><title>x</title></html>")
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("The Nu Html Checker did not start.")
            time.sleep(0.3)
    _html_checker["url"] = url
    yield url
    process.terminate()
    process.wait(timeout=10)


def _post_html(url: str, html: str) -> list[dict]:
    request = urllib.request.Request(
        url, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["messages"]


def check_html(page):
    """The HTML the server sent for this page has no errors for the Nu Html Checker."""
    response = getattr(page, "document_response", None)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return
    messages = _post_html(_html_checker["url"], response.text())
    errors = [
        f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, f"{page.url}: " + "\n".join(errors)


def check_page(page):
    """What every page of a journey must pass: axe (WCAG 2.1 A/AA) in the current viewport,
    valid HTML (the Nu Html Checker), no horizontal scrolling at 320 px, no errors in the
    console. A click on a link returns once the next page starts loading, so first wait until
    it has loaded."""
    page.wait_for_load_state()
    check_html(page)
    check_accessibility(page)
    viewport = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        assert_no_horizontal_scroll(page)
    finally:
        page.set_viewport_size(viewport)
    assert not page.console_errors, page.console_errors


def open_lightbox(page):
    """Tap the first photo once PhotoSwipe has loaded (before that, a tap opens the image page)."""
    page.locator("#photo-grid[data-lightbox='ready']").wait_for(state="attached")
    page.locator("a.photo-link").first.click()
    page.locator(".pswp--open").wait_for()


# The service worker's registration, awaited inside ``async () => ...`` in ``page.evaluate``,
# but bounded: an evaluate has no timeout of its own, and a promise that never settles would stop
# the whole run instead of failing one test.
SW_READY = (
    "(await Promise.race([navigator.serviceWorker.ready, new Promise((_, fail) => "
    "setTimeout(() => fail(new Error('no service worker after 20 s')), 20000))]))"
)
