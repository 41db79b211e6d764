"""Readiness for strangers is a bare status; the components only for the machine itself or a
caller with the token (issue 19, finding 4). Liveness needs no database (issue 21, finding 4)."""

import json

import pytest

pytestmark = pytest.mark.django_db

STRANGER = {"REMOTE_ADDR": "203.0.113.7"}


def test_it_answers_a_stranger_with_the_bare_status(client):
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json", **STRANGER)
    assert response.status_code == 200
    assert response.text == "ok"
    for name in ("Database", "Cache", "Storage", "Redis", "redis://"):
        assert name not in response.text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_it_hides_the_components_from_a_stranger_also_through_the_proxy_on_loopback(client):
    """Behind nginx on the same machine every request arrives from 127.0.0.1: the proxy's
    X-Forwarded-For makes it a stranger's again."""
    response = client.get(
        "/health/ready/?format=json", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response.text == "ok"


def test_it_gives_the_components_to_the_machine_itself(client):
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    names = " ".join(json.loads(response.content))
    assert "Database" in names and "Cache" in names and "Storage" in names


def test_it_gives_the_components_to_a_caller_with_the_token(client, settings):
    settings.HEALTH_TOKEN = "s3cret-health-token"
    response = client.get(
        "/health/ready/?format=json",
        HTTP_AUTHORIZATION="Bearer s3cret-health-token",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **STRANGER,
    )
    assert "Database" in " ".join(json.loads(response.content))
    wrong = client.get("/health/ready/?format=json", HTTP_AUTHORIZATION="Bearer guess", **STRANGER)
    assert wrong.text == "ok"


def test_it_never_takes_a_token_when_none_is_configured(client, settings):
    settings.HEALTH_TOKEN = ""
    response = client.get("/health/ready/?format=json", HTTP_AUTHORIZATION="Bearer ", **STRANGER)
    assert response.text == "ok"


def test_it_says_unavailable_without_naming_the_part_that_failed(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/no-such-folder"},
        },
    }
    response = client.get("/health/ready/", **STRANGER)
    assert response.status_code == 503
    assert response.text == "unavailable"
    detailed = client.get("/health/ready/?format=json")
    assert detailed.status_code == 503
    assert "Storage" in " ".join(json.loads(detailed.content))


def test_it_answers_liveness_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/", **STRANGER)
    assert response.status_code == 200 and response.text == "ok"
