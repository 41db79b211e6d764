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
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

from consent.middleware import statement_pending_expression
from daycare.models import StaffAssignment


def users_with_request_answers():
    return get_user_model()._default_manager.annotate(
        statement_pending_at_load=statement_pending_expression(),
        has_staff_assignment_at_load=Exists(StaffAssignment.objects.filter(user=OuterRef("pk"))),
    )


class RequestUserMixin:
    def get_user(self, user_id):
        try:
            user = users_with_request_answers().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RequestUserMixin, DjangoModelBackend):
    """Django's backend, reading the request's user with ``users_with_request_answers``."""


class AuthenticationBackend(RequestUserMixin, AllauthBackend):
    """allauth's backend (log in by e-mail address), reading the request's user the same way."""
