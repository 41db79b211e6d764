import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_it_sends_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_it_logs_out_after_an_hour_idle(client, cast, login):
    login(cast.anna)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=59), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=59 + 61), tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_logs_out_twelve_hours_after_login_even_when_active(client, cast, login):
    login(cast.anna)
    start = timezone.now()
    for minutes in range(0, 12 * 60, 50):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=12, minutes=1), tick=False):
        assert client.get("/").status_code == 302
