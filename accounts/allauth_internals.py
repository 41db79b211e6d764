"""The ``internal`` modules of django-allauth the portal uses, imported here and nowhere else.

allauth has no public API for these: activating TOTP and recovery codes for a known secret
(the demo and the benchmark accounts; the public flow needs a person to scan a QR code),
recording a two-factor authentication on the session when TOTP is activated (``signals.py``)
and computing a TOTP code (tests). ``tests/portal/test_private_apis.py`` fails when an
allauth upgrade moves or changes one of them.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

__all__ = ["TOTP", "RecoveryCodes", "format_hotp_value", "hotp_value", "record_authentication"]
