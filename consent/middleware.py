"""Accepting the current privacy statement comes before anything else for a parent (R7).

Until a parent (a guardian of at least one child that is not archived) has accepted the current
published version, every page except the allow-list below sends them to the statement. Staff
without children are not parents and pass. One query per request for someone who accepted
(the current version and their acceptance together); the result is kept on the request so the
banner panel needs no query of its own.
"""

from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from consent.models import PrivacyStatement, StatementAcceptance
from daycare.models import Guardianship

# Paths a parent may open before accepting: the statement itself, signing out, password and
# two-factor pages (allauth under /accounts/), choosing a language, static files, health, and
# what R3 promises without any consent.
# Staff pages and Django admin are work, not the parent portal: a staff member who is also a
# parent accepts the statement when they use the parent pages.
EXEMPT_PREFIXES = (
    "/consent/statement/",
    "/staff/",
    "/beheer/",
    "/accounts/",
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


def statement_pending(request) -> bool:
    """True when this user is a parent who has not accepted the current version."""
    cached = getattr(request, "_consent_statement_pending", None)
    if cached is not None:
        return cached
    pending = False
    user = request.user
    if user.is_authenticated:
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
