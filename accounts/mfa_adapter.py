import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


def _fernet() -> MultiFernet:
    """A key per SECRET_KEY (and its fallbacks, for rotation), separate from other uses."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"mfa-secrets:{key}".encode()).digest()))
            for key in keys
        ]
    )


class PortalMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted, so a copy of the database alone cannot make codes."""

    def encrypt(self, text: str) -> str:
        return PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(PREFIX):
            return encrypted_text  # stored before encryption was switched on
        return _fernet().decrypt(encrypted_text.removeprefix(PREFIX).encode()).decode()
