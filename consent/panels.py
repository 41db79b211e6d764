"""Consent on shared pages: the banner, the child card, the staff home and staff child page."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from consent.middleware import statement_pending
from consent.selectors import consent_states
from daycare.access import staff_scope


def banner(request, **context):
    """A newer statement that this parent has not accepted (R7). No query: the middleware has
    already looked (or looks once, on the pages it lets through). Otherwise, while a new
    version is announced and does not apply yet: what changes, from when, and a link."""
    path = request.path_info
    if path.startswith(("/consent/statement/", "/staff/", "/beheer/")):
        return None
    if statement_pending(request):
        return render_to_string("consent/panels/banner.html", request=request)
    if not request.user.is_authenticated:
        return None
    upcoming = announced_statement()
    if upcoming is None or not is_parent(request):
        return None
    return render_to_string(
        "consent/panels/banner_upcoming.html",
        {
            "applies_from": upcoming["effective_at"],
            "summary": upcoming["summary_en" if get_language() == "en" else "summary_nl"],
        },
        request=request,
    )


def announced_statement():
    """The announced version's date and summaries, cached for a minute: the banner is on
    every page and the announcement changes a few times a year (publish and withdraw clear
    it). None when there is none, or once it applies."""
    from django.core.cache import cache
    from django.utils import timezone

    from consent.models import PrivacyStatement
    from consent.services import ANNOUNCED_KEY

    found = cache.get(ANNOUNCED_KEY)
    if found is None:
        row = (
            PrivacyStatement.objects.scheduled()
            .order_by("-version")
            .values("effective_at", "summary_nl", "summary_en")
            .first()
        )
        found = row or {}
        cache.set(ANNOUNCED_KEY, found, 60)
    if not found or found["effective_at"] <= timezone.now():
        return None
    return found


def is_parent(request) -> bool:
    cached = getattr(request, "_consent_is_parent", None)
    if cached is None:
        from daycare.models import Guardianship

        cached = Guardianship.objects.filter(
            user=request.user, child__archived_at__isnull=True
        ).exists()
        request._consent_is_parent = cached
    return cached


def child_card(request, *, child, children, **context):
    return render_to_string("consent/panels/child_card.html", {"child": child}, request=request)


def staff_home(request, *, groups, **context):
    # Iterating the page's own queryset fills its result cache: the page reuses it, no query.
    groups = list(groups)
    if not groups:
        return None
    return render_to_string(
        "consent/panels/staff_home.html",
        {"groups": groups, "is_customer_service": staff_scope(request.user).everything},
        request=request,
    )


def staff_child(request, *, child, **context):
    states = consent_states([child])[child.pk]
    scope = staff_scope(request.user)
    return render_to_string(
        "consent/panels/staff_child.html",
        {
            "child": child,
            "photos": states["photos"],
            "diary": states["diary"],
            "history_allowed": scope.everything or child.group.location_id in scope.location_ids,
        },
        request=request,
    )
