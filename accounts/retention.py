"""The accounts app's part of a person's own access export (retention/contract.py, R21).

The account with its contact details and language, the sessions and logins the portal keeps
(allauth's session list: when, from which address and browser) and the two-factor methods
(their kind and dates, never a secret). Accounts hold no child data: no ``destroy_children``.
"""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession


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
