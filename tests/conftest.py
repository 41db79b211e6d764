"""The named cast (DESIGN/STYLE): anna (Daan, Eva), chris (Daan), dewi (Mila), bram (Finn),
fleur (three children who left), sanne (group A), tom (group B), lotte (manager of location 1),
service (customer service), admin (superuser). Built by the same code as ``seed_demo``."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.allauth_internals import format_hotp_value, hotp_value
from daycare.demo import DEMO_TOTP_SECRET, build_cast


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and used TOTP codes live in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db):
    return build_cast(today=timezone.localdate(), password="portal-demo")


@pytest.fixture
def consented(cast, decide):
    """Diary and photo consent for Daan, Eva (anna) and Mila (dewi). The audit, diary and
    photos tests have their own, narrower ``consented`` in their conftest."""
    from consent.models import Purpose

    for child in (cast.daan, cast.eva, cast.mila):
        decide(child, Purpose.DIARY, given=True)
        decide(child, Purpose.PHOTOS, given=True)
    return cast


def totp_now(secret: str = DEMO_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def mark_two_factor(client: Client, user) -> None:
    """Make the session look as allauth leaves it after a password + TOTP login.

    Used to keep staff tests short; tests/accounts/test_two_factor.py proves the real flow.
    """
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def mark_reauthenticated(client: Client) -> None:
    """Make the session look as if the person just gave their password again (allauth's
    re-authentication before exports and erasure); tests/retention/test_reauthentication.py
    proves the real flow."""
    session = client.session
    records = session.get("account_authentication_methods", [])
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session["account_authentication_methods"] = records
    session.save()


@pytest.fixture
def login(client):
    """``login(user)``: log the test client in; staff pass two-factor too. With
    ``reauthenticated=True`` the session also counts as freshly re-authenticated."""

    def _login(user, *, two_factor: bool = True, reauthenticated: bool = False):
        client.force_login(user)
        if two_factor:
            mark_two_factor(client, user)
        if reauthenticated:
            mark_reauthenticated(client)
        return client

    return _login


@pytest.fixture
def statement(cast):
    """A published privacy statement that every parent of the cast has accepted."""
    from consent.models import PrivacyStatement, StatementAcceptance

    published = PrivacyStatement.objects.create(
        version=1,
        text_nl="Privacyverklaring (test)",
        text_en="Privacy statement (test)",
        published_at=timezone.now() - timezone.timedelta(days=30),
    )
    for key in ("anna", "chris", "dewi", "bram", "fleur"):
        StatementAcceptance.objects.create(user=cast.users[key], statement=published)
    return published


@pytest.fixture
def decide(statement):
    """``decide(child, purpose, given=True, by=None)``: a guardian's decision through the real
    service (``by`` defaults to the child's first guardian)."""
    from consent.services import consent_decide
    from daycare.models import Guardianship

    def _decide(child, purpose, given=True, by=None):
        if by is None:
            by = Guardianship.objects.filter(child=child).order_by("pk").first().user
        return consent_decide(child=child, purpose=purpose, given=given, decided_by=by)

    return _decide
