"""Issue 9, hardening (R22, R23): each promise checked against the running code.

Headers and cookies through HTTP; production settings in a fresh process (settings are read
from the environment once, at start-up); re-authentication through allauth's real flows.
"""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from push.vapid import generate_pair
from tests.conftest import totp_now

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": os.environ.get("HOME", "/tmp"),
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": "test-hardening-" + "k3y" * 20,
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/hardening-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/7",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    **dict(zip(("VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"), generate_pair(), strict=True)),
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names, **env) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from django.core.cache import caches; "
        f"out = {{n: getattr(settings, n) for n in {list(names)!r}}}; "
        "out['cache_class'] = type(caches['default']).__name__; "
        "print(json.dumps(out, default=str))"
    )
    done = run_python(code, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Content-Security-Policy -------------------------------------------------------------


def csp_of(response) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


def assert_scripts_carry_the_nonce(response):
    """Django adds a nonce to the header only when a template used ``csp_nonce``: then every
    inline script must carry it; without one, no inline script may exist at all."""
    policy = csp_of(response)
    nonces = [s[len("'nonce-") : -1] for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) <= 1
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' in tag:
            continue  # a data block (allauth's e-mail page): never executed
        assert "src=" in tag or (nonces and f'nonce="{nonces[0]}"' in tag), tag
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", html), "style attribute"


def test_it_sends_a_strict_policy(client):
    policy = csp_of(client.get("/accounts/login/"))
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


def test_it_gives_each_response_that_uses_a_nonce_a_fresh_one(cast, login, client):
    login(cast.sanne)  # the staff home loads htmx with a nonce (absences panel)
    first, second = csp_of(client.get("/staff/")), csp_of(client.get("/staff/"))
    assert any(s.startswith("'nonce-") for s in first["script-src"])
    assert first["script-src"] != second["script-src"]


@pytest.mark.parametrize(
    "who, paths",
    [
        (
            "anna",
            [
                "/",
                "/children/{daan}/",
                "/diary/{daan}/",
                "/photos/child/{daan}/",
                "/audit/children/{daan}/",
                "/account/details/",
                "/accounts/email/",
            ],
        ),
        (
            "sanne",
            ["/staff/", "/staff/diary/children/{daan}/", "/staff/photos/group/{group_a}/upload/"],
        ),
        ("service", ["/staff/audit/"]),
    ],
)
def test_it_renders_pages_without_inline_code_that_csp_would_block(
    cast, decide, login, client, who, paths
):
    from consent.models import Purpose

    decide(cast.daan, Purpose.DIARY)
    decide(cast.daan, Purpose.PHOTOS)
    login(cast.users[who])
    for path in paths:
        response = client.get(path.format(daan=cast.daan.code, group_a=cast.group_a.code))
        assert response.status_code == 200, path
        assert_scripts_carry_the_nonce(response)


# Templates that are never served with our CSP: they are rendered into export files (ZIP,
# PDF through WeasyPrint) that must work offline, so their stylesheet is inlined.
INLINE_STYLE_ALLOWED = {
    "diary/templates/diary/print_document.html",
    "retention/templates/retention/export/_style.html",
    # The memories index inside an export ZIP: opened offline from disk, never served.
    "photos/templates/photos/export_index.html",
}


def project_templates():
    for path in sorted(ROOT.rglob("*.html")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "staticfiles", "node_modules", "media"}:
            continue
        yield path


def test_it_has_no_inline_code_in_any_template():
    problems = []
    for path in project_templates():
        name = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{name}:{number}"
            for tag in re.findall(r"<script\b[^>]*>", line, re.I):
                if (
                    "src=" not in tag
                    and "application/json" not in tag
                    and 'nonce="{{ csp_nonce }}"' not in tag
                ):
                    problems.append(f"{where} inline script without nonce")
            if re.search(r"<[a-z][^>]*\sstyle\s*=", line, re.I):
                problems.append(f"{where} style attribute")
            if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", line, re.I):
                problems.append(f"{where} inline event handler")
            if re.search(r"javascript:", line, re.I):
                problems.append(f"{where} javascript: URL")
            if re.search(r"<style\b", line, re.I) and name not in INLINE_STYLE_ALLOWED:
                problems.append(f"{where} <style> element")
    assert problems == []
    assert len(list(project_templates())) > 50  # the scan did look at the templates


# --- Transport, headers, cookies --------------------------------------------------------


def test_it_turns_on_hsts_ssl_redirect_and_secure_cookies_in_production():
    found = production_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SILENCED_SYSTEM_CHECKS",
    )
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert all(
        found[n] is True
        for n in (
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "LANGUAGE_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_HTTPONLY",
        )
    )
    assert found["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert found["SILENCED_SYSTEM_CHECKS"] == []


def test_it_redirects_http_to_https_and_sends_hsts(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_it_sends_nosniff_referrer_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("geolocation=()", "microphone=()", "payment=()", "usb=()"):
        assert feature in policy


def test_it_sets_session_and_csrf_cookies_secure_httponly_samesite(settings, client, cast):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/",
        {"login": "bram@example.org", "password": "portal-demo"},
        secure=True,
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_it_has_idle_and_absolute_session_timeouts():
    # The behaviour is proven in tests/portal/test_security.py; here: it is on in production.
    found = production_settings("SESSION_IDLE_TIMEOUT", "SESSION_COOKIE_AGE", "MIDDLEWARE")
    assert 0 < found["SESSION_IDLE_TIMEOUT"] <= 60 * 60
    assert 0 < found["SESSION_COOKIE_AGE"] <= 12 * 60 * 60
    assert "portal.security.SessionTimeoutMiddleware" in found["MIDDLEWARE"]


# --- Re-authentication before sensitive changes -----------------------------------------


def password_login(client, email):
    response = client.post("/accounts/login/", {"login": email, "password": "portal-demo"})
    assert response.status_code == 302
    return response


def test_it_asks_for_the_password_again_before_adding_an_email_address(client, cast, statement):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "anna@example.org")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "anna.nieuw@example.org"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert not EmailAddress.objects.filter(email="anna.nieuw@example.org").exists()
        # allauth resumes the interrupted request once the password is given again.
        response = client.post(response["Location"], {"password": "portal-demo"})
    assert response.status_code == 302 and "reauthenticate" not in response["Location"]
    assert EmailAddress.objects.filter(email="anna.nieuw@example.org", verified=False).exists()


def test_it_asks_for_the_password_again_before_turning_on_two_factor(client, cast, statement):
    # allauth counts only an explicit re-authentication, not the login itself.
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "bram@example.org")
        response = client.get("/accounts/2fa/totp/activate/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
        client.post(response["Location"], {"password": "portal-demo"})
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/totp/deactivate/", "/accounts/2fa/recovery-codes/generate/"]
)
def test_it_asks_staff_for_a_fresh_code_before_changing_two_factor(client, cast, path):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "sanne@example.org")
        client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
        response = client.get(path)
        assert response.status_code == 302 and "reauthenticate" in response["Location"]
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        client.post(f"/accounts/2fa/reauthenticate/?next={path}", {"code": totp_now()})
        assert client.get(path).status_code == 200
    with time_machine.travel(start + timedelta(minutes=6, seconds=31), tick=False):
        response = client.get(path)
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


# --- Rate limits, admin login -----------------------------------------------------------


def test_it_makes_a_client_wait_after_wrong_passwords(client, cast):
    """Per client and account, growing delays (tests/accounts/test_login_throttle.py)."""
    for _ in range(5):
        client.post("/accounts/login/", {"login": "anna@example.org", "password": "fout-fout"})
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_it_sends_the_admin_login_through_the_rate_limited_portal_login(client, cast):
    response = client.post(
        "/beheer/login/", {"username": "admin@example.org", "password": "portal-demo"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_it_keeps_rate_limits_in_redis_when_redis_is_configured():
    found = production_settings("CACHES", "SESSION_ENGINE", "CELERY_BROKER_URL")
    assert found["CACHES"]["default"]["BACKEND"] == "portal.cache.ResilientRedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/7"
    assert found["cache_class"] == "ResilientRedisCache"  # allauth's rate limits use it
    assert found["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/7"


def test_it_falls_back_to_local_memory_without_redis_and_refuses_a_bad_url():
    found = production_settings("CACHES", REDIS_URL="")
    assert found["cache_class"] == "LocMemCache"
    done = run_python("import django; django.setup()", REDIS_URL="http://127.0.0.1:6379/7")
    assert done.returncode != 0
    assert "REDIS_URL must start with redis://" in done.stderr


# --- Celery: JSON only ------------------------------------------------------------------


def test_it_accepts_only_json_task_messages():
    from kombu import Connection, Exchange, Producer, Queue
    from kombu.exceptions import ContentDisallowed

    from portal.celery import app

    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json" and app.conf.result_serializer == "json"
    queue = Queue("hardening", Exchange("hardening"), routing_key="hardening")
    with Connection("memory://") as connection:
        producer = Producer(connection.channel())
        producer.publish(
            {"task": "audit.tasks.record_access_task", "args": []},
            serializer="pickle",
            exchange=queue.exchange,
            routing_key="hardening",
            declare=[queue],
        )
        message = queue(connection.channel()).get(accept=app.conf.accept_content)
        assert message.content_type == "application/x-python-serialize"
        with pytest.raises(ContentDisallowed):
            message.decode()


# --- manage.py check --deploy ---------------------------------------------------------------


def test_it_passes_the_deploy_check_with_production_settings_and_nothing_silenced():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "INFO"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
