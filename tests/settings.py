"""Test settings: the real settings, with what a test run must not need (secrets, TLS, slow
password hashing, a broker). Services come from the same environment variables as production."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-test-media-"))

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
