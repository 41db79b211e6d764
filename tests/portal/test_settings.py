"""A wrong environment value stops start-up with a message naming the variable."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent.parent


def start(**env):
    """Import the real settings in a fresh interpreter with this environment."""
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", "HOME": "/tmp"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_it_starts_with_the_embedded_defaults_in_debug():
    code, output = start(DEBUG="1")
    assert code == 0, output


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DEBUG": "1", "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE"),
        ({"DEBUG": "1", "MEDIA_STORAGE": "s3"}, "S3_BUCKET"),
        ({"DEBUG": "1", "MEDIA_DELIVERY": "carrier-pigeon"}, "MEDIA_DELIVERY"),
        ({"DEBUG": "1", "SESSION_IDLE_TIMEOUT": "an hour"}, "SESSION_IDLE_TIMEOUT"),
        ({"DEBUG": "1", "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DEBUG": "1", "SITE_URL": "::::"}, "SITE_URL"),
    ],
)
def test_it_refuses_to_start_with_a_wrong_value_and_names_it(env, named):
    code, output = start(**env)
    assert code != 0
    assert "ImproperlyConfigured" in output
    assert named in output.splitlines()[-1]


def test_it_refuses_to_seed_demo_accounts_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    from accounts.models import User

    assert not User.objects.exists()
