"""Accepting the current privacy statement comes before anything else for a parent (R7).

Until a parent (a guardian of at least one child that is not archived) has accepted the current
published version, every page except the allow-list below sends them to the statement. Staff
without children are not parents and pass. The answer comes with the request's user, in the
query that reads them (``statement_pending_expression``, ``portal.backends``): no query of
its own (issue 16). A user read any other way asks the database here (one query for someone who
accepted). The result is kept on the request so the banner panel needs no query of its own.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from consent.models import PrivacyStatement, StatementAcceptance
from core.paths import ACCOUNTS_PREFIX, ADMIN_PREFIX, STAFF_PREFIX
from daycare.models import Guardianship

# Paths a parent may open before accepting: the statement itself, signing out, password and
# two-factor pages (allauth under /accounts/), choosing a language, static files, health, and
# what R3 promises without any consent.
# Staff pages and Django admin are work, not the parent portal: a staff member who is also a
# parent accepts the statement when they use the parent pages.
EXEMPT_PREFIXES = (
    "/consent/statement/",
    STAFF_PREFIX,
    ADMIN_PREFIX,
    ACCOUNTS_PREFIX,
    "/i18n/",
    "/static/",
    "/health/",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
    # R3 holds while a new version waits for acceptance (R7): the location, news, absences
    # and messages keep working; only the home page, diary, photos and choices wait.
    "/locations/",
    "/newsletters/",
    "/absences/",
    "/messaging/",
)


def statement_pending_expression(user_ref: str = "pk", now=None):
    """As an annotation on a query of users: True for a parent (a guardian of a child that is
    not archived) who has not accepted the newest version in force. The same answer as the
    queries in ``statement_pending``, computed by the database in the query that reads the
    user (``portal.backends``)."""
    in_force = PrivacyStatement.objects.in_force(now)
    current = in_force.order_by("-version").values("pk")[:1]
    accepted = StatementAcceptance.objects.filter(
        user_id=OuterRef(user_ref), statement_id=Subquery(current)
    )
    guardian = Guardianship.objects.filter(
        user_id=OuterRef(user_ref), child__archived_at__isnull=True
    )
    return ExpressionWrapper(
        Q(Exists(in_force)) & ~Q(Exists(accepted)) & Q(Exists(guardian)),
        output_field=BooleanField(),
    )


def statement_pending(request) -> bool:
    """True when this user is a parent who has not accepted the current version."""
    cached = getattr(request, "_consent_statement_pending", None)
    if cached is not None:
        return cached
    pending = False
    user = request.user
    read_with_user = getattr(user, "statement_pending_at_load", None)
    if read_with_user is not None:
        pending = bool(read_with_user)  # the request's user, read a moment ago (0/1 in SQLite)
    elif user.is_authenticated:
        row = (
            PrivacyStatement.objects.in_force()
            .order_by("-version")
            .annotate(
                accepted=Exists(
                    StatementAcceptance.objects.filter(user=user, statement_id=OuterRef("pk"))
                )
            )
            .values_list("accepted", flat=True)
            .first()
        )
        if row is False:
            pending = Guardianship.objects.filter(
                user=user, child__archived_at__isnull=True
            ).exists()
    request._consent_statement_pending = pending
    return pending


class StatementAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(EXEMPT_PREFIXES) and statement_pending(request):
            target = reverse("consent:statement")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
