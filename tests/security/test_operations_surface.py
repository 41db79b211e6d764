"""Issue 19, finding 11 (ASVS 16.2.5, 2.2.1): gunicorn's error log wrote client addresses; a
failed CSRF check showed Django's unbranded English page; right-to-left overrides and
zero-width characters were accepted in display names that staff read."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_keeps_client_addresses_out_of_gunicorns_error_log(tmp_path):
    """The real gunicorn, started from the project root as the Procfile does, gets a malformed
    request over HTTP: its warning is logged without the client's address."""
    port = free_port()
    log = tmp_path / "error.log"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while "Booting worker" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"NOT A REQUEST\r\n\r\n")
            assert conn.recv(1024).startswith(b"HTTP/1.1 400")
        while "Invalid request" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    warning = next(line for line in log.read_text().splitlines() if "Invalid request" in line)
    assert "127.0.0.1" not in warning and "ip=-" in warning, warning


def test_it_shows_a_failed_csrf_check_in_the_portals_look_and_language(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "anna@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.text
    assert "Dit formulier is verlopen" in html
    assert "Ouderportaal" in html and "site-header" in html  # the portal's own page
    assert "CSRF verification failed" not in html and "Forbidden" not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name",
    [
        "Anna\u202eav",  # right-to-left override: shows as "Annava" reversed
        "An\u200bna",  # zero-width space
        "Anna\u2066x\u2069",  # isolate
        "Anna\u0007",  # control
        "Anna\ufeff",  # zero-width no-break space
    ],
)
def test_it_refuses_invisible_and_direction_characters_in_names(cast, login, client, name):
    login(cast.anna)
    before = User.objects.get(pk=cast.anna.pk).first_name
    response = client.post(
        "/account/details/", {"first_name": name, "last_name": "de Vries", "city": "Utrecht"}
    )
    assert response.status_code == 200
    assert "onzichtbare tekens of stuurtekens" in response.text
    assert User.objects.get(pk=cast.anna.pk).first_name == before


def test_it_normalises_names_to_nfkc(cast, login, client):
    login(cast.anna)
    response = client.post(
        "/account/details/",
        {"first_name": "\uff21\uff4e\uff4e\uff41", "last_name": "de   Vries", "city": "Utrecht"},
    )
    assert response.status_code == 302
    anna = User.objects.get(pk=cast.anna.pk)
    assert (anna.first_name, anna.last_name) == ("Anna", "de Vries")


def test_it_refuses_a_direction_override_in_the_name_given_at_invitation(cast, client):
    import secrets

    from daycare.models import GuardianInvitation

    invitation = GuardianInvitation.objects.create(
        token=secrets.token_urlsafe(32),
        email="oma@example.org",
        child=cast.daan,
        invited_by=cast.sanne,
    )
    response = client.post(
        f"/invitation/{invitation.token}/",
        {
            "first_name": "Oma\u202e",
            "last_name": "de Vries",
            "password1": "zonnige-dag-42",
            "password2": "zonnige-dag-42",
        },
    )
    assert response.status_code == 200
    assert "onzichtbare tekens of stuurtekens" in response.text
    assert not User.objects.filter(email="oma@example.org").exists()
