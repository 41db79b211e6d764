"""Types for annotations only (issue 20): import them under ``if TYPE_CHECKING:``."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class UserRequest(HttpRequest):
    """A request whose ``user`` is typed as our ``User``. An anonymous visitor also passes
    through here; the access functions that take a ``User`` check ``is_authenticated`` first."""

    user: "User"
