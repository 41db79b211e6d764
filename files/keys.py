"""Random storage keys: the original file name never becomes a path (R22)."""

import secrets


def new_key(prefix: str, extension: str) -> str:
    """``prefix/ab/cdef...ext``: random, unguessable, spread over folders."""
    token = secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")
    extension = extension.lstrip(".").lower()
    return f"{prefix.strip('/')}/{token[:2]}/{token}.{extension}"
