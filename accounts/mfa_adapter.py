"""TOTP secrets and recovery-code seeds are stored encrypted (Fernet), so a copy of the
database alone cannot make codes.

Issue 19, finding 10 (ASVS 11.2.2): they have a key of their own, ``MFA_SECRETS_KEY``, so that
rotating ``SECRET_KEY`` leaves two-factor alone. Without it (the demo, deployments from before)
the key is derived from ``SECRET_KEY``. Old keys stay readable while they are listed
(``MFA_SECRETS_KEY_FALLBACKS``, ``SECRET_KEY_FALLBACKS``); ``manage.py rotate_mfa_secrets``
re-encrypts every stored secret under the current key, after which the old ones can go
(docs/deployment.md, "Rotating keys").
"""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


def _derive(label: str, key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{key}".encode()).digest()))


def fernet() -> MultiFernet:
    """The current key first (it encrypts), then every key that may still have encrypted a
    stored secret (they only decrypt)."""
    own = [settings.MFA_SECRETS_KEY, *settings.MFA_SECRETS_KEY_FALLBACKS]
    derived = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    keys = [_derive("mfa-key", key) for key in own if key]
    keys += [_derive("mfa-secrets", key) for key in derived]
    return MultiFernet(keys)


class PortalMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return PREFIX + fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(PREFIX):
            return encrypted_text  # stored before encryption was switched on
        return fernet().decrypt(encrypted_text.removeprefix(PREFIX).encode()).decode()


def rotate(value: str) -> str:
    """``value`` (encrypted under any known key, or stored in the clear before encryption)
    encrypted under the current key."""
    if not value.startswith(PREFIX):
        return PortalMFAAdapter().encrypt(value)
    return PREFIX + fernet().rotate(value.removeprefix(PREFIX).encode()).decode()
