"""The accounts app's part of a person's own access export (retention/contract.py, R21).

The account with its contact details and language, the sessions and logins the portal keeps
(allauth's session list: when, from which address and browser) and the two-factor methods
(their kind and dates, never a secret). Accounts hold no child data: no ``destroy_children``.
When a guardian's last child is destroyed, ``erase_accounts`` erases the account (R18).
"""

import secrets
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import CharField, Value
from django.db.models.functions import MD5, Cast, Concat, Left

from accounts.models import User


def export_person(*, person, children) -> dict:
    sessions = UserSession.objects.filter(user=person).order_by("-created_at", "-pk")
    methods = Authenticator.objects.filter(user=person).order_by("created_at", "pk")
    return {
        "account": {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone,
            "street": person.street,
            "postal_code": person.postal_code,
            "city": person.city,
            "language": person.language,
            "language_label": person.get_language_display(),
            "date_joined": person.date_joined,
            "last_login": person.last_login,
            # Keyed hashes of browsers used to log in (a new one is logged): only the number.
            "remembered_browsers": len(person.known_devices or []),
        },
        "sessions": [
            {
                "logged_in_at": session.created_at,
                "last_seen_at": session.last_seen_at,
                "ip_address": session.ip,
                "browser": session.user_agent,
            }
            for session in sessions
        ],
        "two_factor_methods": [
            {
                "kind": method.type,
                "kind_label": str(method.get_type_display()),
                "added_at": method.created_at,
                "last_used_at": method.last_used_at,
            }
            for method in methods
        ],
    }


def _end_sessions(user_ids) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in UserSession.objects.filter(user_id__in=user_ids).values_list(
        "session_key", flat=True
    ):
        store().delete(key)
    UserSession.objects.filter(user_id__in=user_ids).delete()


def erase_accounts(user_ids: list[int]) -> None:
    """Close and erase these accounts (R18), in the caller's transaction: the retention engine
    chooses them (guardians with no child left, never staff) and calls this last.

    The row stays (other records may point to it) but holds no personal data: a random invalid
    e-mail address, no names, no contact details, no password, inactive, no sessions, no
    second factor.
    """
    EmailAddress.objects.filter(user_id__in=user_ids).delete()
    Authenticator.objects.filter(user_id__in=user_ids).delete()
    _end_sessions(user_ids)
    # One UPDATE for the whole batch (bulk_update's CASE per row and field cost more than all
    # the deletes, bench/retention_destroy.py): the address and the unusable password are
    # unique per user through a digest of the id and a random salt that is thrown away.
    salt = secrets.token_hex(16)
    pk_text = Cast("pk", output_field=CharField())
    User.objects.filter(pk__in=user_ids).update(
        email=Concat(
            Value("erased-"), Left(MD5(Concat(pk_text, Value(salt))), 24), Value("@invalid")
        ),
        first_name="",
        last_name="",
        phone="",
        street="",
        postal_code="",
        city="",
        password=Concat(Value(UNUSABLE_PASSWORD_PREFIX), MD5(Concat(Value(salt), pk_text))),
        is_active=False,
    )
