"""The user of a request, read with what every request asks about them (issue 16).

Django reads the logged-in person once per request (``backend.get_user``). These backends read
them with two more answers in the same query, so that the work every page pays costs no query
of its own:

- ``statement_pending_at_load``: a parent who has not accepted the privacy statement in force
  (``consent.middleware.statement_pending``, R7);
- ``has_staff_assignment_at_load``: whether they have any staff role at all
  (``daycare.access.staff_scope``: a parent without one needs no query for their scope).

Both are computed by the database at the moment of the request, never cached: a statement
published or a role given a moment ago counts on the very next request. Code that gets a user
from anywhere else (a login, a test) finds no such attribute and asks the database itself
(fail closed).

The query is written with the ORM (``users_with_request_answers``) and compiled once per process
(``core.compiled``): compiling its subqueries on every request cost more CPU than running them.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef
from django.utils import timezone

from consent.middleware import statement_pending_expression
from core.compiled import Compiled
from daycare.models import StaffAssignment


def users_with_request_answers(now=None):
    return get_user_model()._default_manager.annotate(
        statement_pending_at_load=statement_pending_expression(now=now),
        has_staff_assignment_at_load=Exists(StaffAssignment.objects.filter(user=OuterRef("pk"))),
    )


_request_user = None


def request_user(user_id):
    """The user with ``user_id`` and both answers, or None: one query, compiled once."""
    global _request_user
    User = get_user_model()
    if _request_user is None:
        _request_user = Compiled(
            User,
            lambda user_id, now: users_with_request_answers(now).filter(pk=user_id),
            user_id=-740_316_925,  # no user has this id
            now=datetime(1970, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC),
        )
    try:
        user_id = User._meta.pk.to_python(user_id)
    except Exception:  # a session with a broken id: nobody, as Django's own backend says
        return None
    found = _request_user.rows(user_id=user_id, now=timezone.now())
    return found[0] if found else None


class RequestUserMixin:
    user_can_authenticate: Callable[[Any], bool]  # from the backend it is mixed into

    def get_user(self, user_id):
        user = request_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(RequestUserMixin, DjangoModelBackend):
    """Django's backend, reading the request's user with ``request_user``."""


class AuthenticationBackend(RequestUserMixin, AllauthBackend):
    """allauth's backend (log in by e-mail address), reading the request's user the same way."""
