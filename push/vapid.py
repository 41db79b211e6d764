"""VAPID keys (RFC 8292) from the environment: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY,
VAPID_SUBJECT. ``manage.py push_vapid_keys`` makes a pair. Without them push is off: the
settings page says so and nothing is sent; ``check --deploy`` warns (push.W001)."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_pair() -> tuple[str, str]:
    """A new P-256 key pair as (public, private): the public key as the browser wants it for
    ``applicationServerKey`` (uncompressed point), the private one as 32 raw bytes, both
    base64url without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public), b64url(private)


def configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def public_key() -> str:
    return settings.VAPID_PUBLIC_KEY
