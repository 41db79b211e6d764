"""VAPID keys: made by a command, read from the environment, checked at start-up and by
``check --deploy``."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from push.vapid import b64url_decode


def test_it_prints_a_new_key_pair():
    out = StringIO()
    call_command("push_vapid_keys", stdout=out, stderr=StringIO())
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert len(b64url_decode(values["VAPID_PUBLIC_KEY"])) == 65
    assert len(b64url_decode(values["VAPID_PRIVATE_KEY"])) == 32
    assert values["VAPID_SUBJECT"].startswith("mailto:")


@pytest.mark.django_db  # the model checks ask the database which JSON it supports
def test_it_warns_on_deploy_when_the_keys_are_missing(settings):
    settings.DEBUG = False
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "push.W001" in ids
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "a", "b"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "push.W001" not in ids


def test_it_refuses_to_start_with_a_key_that_is_not_one():
    env = {**os.environ, "DEBUG": "1", "VAPID_PRIVATE_KEY": "not-a-key"}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "VAPID_PRIVATE_KEY" in result.stderr
