import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_it_answers_liveness_without_login(client):
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.text == "ok"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_it_checks_database_cache_and_storage_for_readiness(client):
    response = client.get("/health/ready/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = json.loads(response.content)
    names = " ".join(body)
    assert "Database" in names and "Cache" in names and "Storage" in names


def test_it_gives_every_response_a_request_id(client):
    response = client.get("/health/live/")
    assert len(response["X-Request-ID"]) == 32
    echoed = client.get("/health/live/", HTTP_X_REQUEST_ID="abc-123")
    assert echoed["X-Request-ID"] == "abc-123"
    forged = client.get("/health/live/", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>"


def test_it_logs_json_with_request_and_user_ids_but_no_email(client, cast, login, caplog):
    from portal.logging import RequestContextFilter

    logger = logging.getLogger("portal.request")
    logger.setLevel(logging.INFO)
    caplog.handler.addFilter(RequestContextFilter())
    login(cast.anna)
    with caplog.at_level(logging.INFO, logger="portal.request"):
        client.get("/", HTTP_X_REQUEST_ID="req-1")
    records = [r for r in caplog.records if r.name == "portal.request"]
    assert records and records[-1].status == 200
    assert records[-1].request_id == "req-1"
    assert records[-1].user_id == str(cast.anna.pk)
    assert "anna@example.org" not in caplog.text


def test_it_reports_cpu_time_only_when_asked(client, settings):
    assert "Server-Timing" not in client.get("/health/live/")
    settings.SERVER_TIMING = True
    assert client.get("/health/live/")["Server-Timing"].startswith("cpu;dur=")


def test_it_writes_each_request_as_one_json_line_without_personal_data(
    client, cast, login, caplog, settings
):
    """The production formatter itself: the line parses as JSON and carries the ids."""
    from django.utils.module_loading import import_string

    from portal.logging import RequestContextFilter

    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    assert settings.LOGGING["loggers"]["portal.request"]["level"] == "INFO"  # on by default
    caplog.handler.addFilter(RequestContextFilter())
    login(cast.anna)
    with caplog.at_level(logging.INFO, logger="portal.request"):
        client.get("/", HTTP_X_REQUEST_ID="req-2")
    (record,) = [r for r in caplog.records if r.name == "portal.request"]
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "portal.request"
    assert (entry["request_id"], entry["user_id"]) == ("req-2", str(cast.anna.pk))
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/", 200)
    assert "anna" not in line.lower() and "Vries" not in line


def test_it_knows_the_user_while_the_view_runs(rf, cast):
    """An error logged inside a view carries the user id, not only the request line."""
    from django.http import HttpResponse

    from portal.logging import RequestIdMiddleware, UserIdMiddleware, user_id_var

    seen = []

    def view(request):
        seen.append(user_id_var.get())
        return HttpResponse()

    request = rf.get("/")
    request.user = cast.anna
    RequestIdMiddleware(UserIdMiddleware(view))(request)
    assert seen == [str(cast.anna.pk)]
    assert user_id_var.get() == "-"  # nothing leaks into the next request on this thread


def test_it_warns_on_deploy_when_rate_limits_would_not_be_shared(settings):
    from django.core.checks import run_checks

    def ids(*, deploy=True):
        return {message.id for message in run_checks(include_deployment_checks=deploy)}

    settings.DEBUG, settings.REDIS_URL = False, ""
    assert "portal.W001" in ids()
    assert "portal.W001" not in ids(deploy=False)  # a deployment check only
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert "portal.W001" not in ids()
