"""Consent on shared pages (portal/panels.py)."""

from django.template.loader import render_to_string

from consent.middleware import statement_pending
from consent.selectors import consent_states, own_decisions
from daycare.access import staff_scope


def banner(request, **context):
    """A newer statement that this parent has not accepted (R7). No query: the middleware has
    already looked (or looks once, on the pages it lets through)."""
    path = request.path_info
    if path.startswith(("/consent/statement/", "/staff/", "/beheer/")):
        return None
    if not statement_pending(request):
        return None
    return render_to_string("consent/panels/banner.html", request=request)


def child_card(request, *, child, children, **context):
    return render_to_string("consent/panels/child_card.html", {"child": child}, request=request)


def staff_home(request, *, groups, **context):
    # Iterating the page's own queryset fills its result cache: the page reuses it, no query.
    groups = list(groups)
    if not groups:
        return None
    return render_to_string("consent/panels/staff_home.html", {"groups": groups}, request=request)


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


def parent_home(request, *, children, **context):
    """A reminder while this parent has not chosen for every child (one query for all)."""
    if not children:
        return None
    own = own_decisions(request.user, children)
    if all(value is not None for choices in own.values() for value in choices.values()):
        return None
    return render_to_string("consent/panels/parent_home.html", request=request)
