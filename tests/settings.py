"""Test settings: the real settings, with what a test run must not need (secrets, TLS, slow
password hashing, a broker). Services come from the same environment variables as production."""

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit


def _temporary_directory(prefix):
    """A directory of this process's own, removed when the process ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# Each pytest-xdist worker gets a media directory of its own: tests compare what is stored.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["MEDIA_ROOT"] = _temporary_directory("portal-test-media-")
    # ... and a Redis database of its own: tests clear the cache (FLUSHDB) and count queries.
    if os.environ.get("REDIS_URL"):
        _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
        _url = urlsplit(os.environ["REDIS_URL"])
        os.environ["REDIS_URL"] = _url._replace(path=f"/{1 + _worker % 15}").geturl()
elif not os.environ.get("MEDIA_ROOT"):
    os.environ["MEDIA_ROOT"] = _temporary_directory("portal-test-media-")

from portal.settings import *  # noqa: E402, F403  (after the environment it reads)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# WhiteNoise indexes STATIC_ROOT for every test client it starts; a collected static folder
# (make stack, the benchmarks, the integration tests) would make every test request slow.
STATIC_ROOT = _temporary_directory("portal-test-static-")
