"""Random public identifiers: URLs carry these, never primary keys (STYLE.md, rule 5)."""

import secrets

CODE_LENGTH = 16  # 12 random bytes, URL-safe base64


def new_code() -> str:
    return secrets.token_urlsafe(12)


class CodeConverter:
    regex = r"[A-Za-z0-9_-]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
