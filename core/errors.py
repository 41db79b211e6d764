from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A write refused for a reason the person can act on; the message is shown to them."""

    def __init__(self, message: "StrOrPromise") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
