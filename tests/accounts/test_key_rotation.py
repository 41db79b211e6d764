"""Issue 19, finding 10 (ASVS 11.2.2): ``SECRET_KEY_FALLBACKS`` could not be set from the
environment, and the two-factor secrets were encrypted under ``SECRET_KEY``, so rotating the
key broke every staff login. Logins here go through the real password + TOTP flow."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from tests.conftest import totp_now
from tests.security.test_hardening import production_settings

pytestmark = pytest.mark.django_db


def staff_login(client, email="sanne@example.org") -> bool:
    cache.clear()  # a TOTP code is accepted once: each login here is a fresh one
    client.logout()
    client.post("/accounts/login/", {"login": email, "password": "portal-demo"})
    client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    return client.get("/staff/").status_code == 200


def test_it_reads_key_fallbacks_from_the_environment():
    found = production_settings(
        "SECRET_KEY_FALLBACKS",
        "MFA_SECRETS_KEY",
        "MFA_SECRETS_KEY_FALLBACKS",
        SECRET_KEY_FALLBACKS="old-key-one-" + "x" * 40 + ",old-key-two-" + "y" * 40,
        MFA_SECRETS_KEY="mfa-" + "z" * 40,
        MFA_SECRETS_KEY_FALLBACKS="mfa-old-" + "w" * 40,
    )
    assert found["SECRET_KEY_FALLBACKS"] == ["old-key-one-" + "x" * 40, "old-key-two-" + "y" * 40]
    assert found["MFA_SECRETS_KEY"] == "mfa-" + "z" * 40
    assert found["MFA_SECRETS_KEY_FALLBACKS"] == ["mfa-old-" + "w" * 40]


def test_it_keeps_staff_logins_and_sessions_through_a_secret_key_rotation(client, cast, settings):
    """The old SECRET_KEY moves to SECRET_KEY_FALLBACKS: sessions stay valid and the
    two-factor secrets (encrypted under the old key) still decrypt."""
    old = settings.SECRET_KEY
    assert staff_login(client)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-key-" + "n" * 40, [old]
    assert client.get("/staff/").status_code == 200  # the session survives
    assert staff_login(client)


def test_it_keeps_two_factor_apart_from_the_secret_key(client, cast, settings):
    """With MFA_SECRETS_KEY set and the secrets re-encrypted under it, SECRET_KEY can be
    replaced outright (no fallback) without touching two-factor."""
    settings.MFA_SECRETS_KEY = "own-mfa-key-" + "m" * 40
    call_command("rotate_mfa_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-key-" + "n" * 40, []
    assert staff_login(client)


def test_it_rotates_the_two_factor_key_with_the_command(client, cast, settings, capsys):
    first = "first-mfa-key-" + "a" * 40
    settings.MFA_SECRETS_KEY = first
    call_command("rotate_mfa_secrets")
    settings.MFA_SECRETS_KEY, settings.MFA_SECRETS_KEY_FALLBACKS = "second-" + "b" * 40, [first]
    call_command("rotate_mfa_secrets")
    assert "Re-encrypted" in capsys.readouterr().out
    settings.MFA_SECRETS_KEY_FALLBACKS = []  # the old key is gone for good
    settings.SECRET_KEY_FALLBACKS = []
    assert staff_login(client)


def test_it_changes_nothing_when_a_secret_cannot_be_read(client, cast, settings):
    """Clear message and no half rotation when the old key is missing."""
    from allauth.mfa.models import Authenticator

    before = {a.pk: a.data for a in Authenticator.objects.all()}
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-key-" + "n" * 40, []
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_mfa_secrets")
    assert {a.pk: a.data for a in Authenticator.objects.all()} == before
    client.raise_request_exception = False
    assert not staff_login(client)  # which is why the docs say: fallback first, then rotate
