"""The places where messaging shows on shared pages."""

from django.db.models import Count
from django.template.loader import render_to_string

from daycare.access import staff_scope
from messaging import selectors
from messaging.models import Conversation


def nav(request):
    """'Messages' in the main navigation with the number of unread messages: one query (none
    for staff without a group or location, such as customer service: they take part in none)."""
    scope = staff_scope(request.user)
    staff = scope.is_staff
    takes_part = not staff or scope.is_assigned
    if not takes_part:
        unread = 0
    elif staff:
        unread = selectors.unread_total_for_staff(request.user)
    else:
        unread = selectors.unread_total_for_parent(request.user)
    return render_to_string(
        "messaging/panels/nav.html", {"unread": unread, "staff": staff}, request=request
    )


def child_card(request, child, children):
    return render_to_string("messaging/panels/child_card.html", {"child": child}, request=request)


def staff_home(request, groups, scope):
    """Per group, how many conversations wait for an answer: one query for all groups. Only
    the groups this person takes part for (R12): none for customer service."""
    groups = [group for group in groups if scope.assigned_to(group)]
    if not groups:
        return None
    waiting = dict(
        Conversation.objects.filter(
            awaiting_staff_reply=True,
            child__archived_at__isnull=True,
            child__group__in=[group.pk for group in groups],
        )
        .values_list("child__group")
        .annotate(n=Count("pk"))
        .values_list("child__group", "n")
    )
    rows = [(group, waiting.get(group.pk, 0)) for group in groups]
    return render_to_string("messaging/panels/staff_home.html", {"rows": rows}, request=request)


def staff_child(request, child):
    if not selectors.takes_part_for_child(request.user, child):
        return None
    return render_to_string("messaging/panels/staff_child.html", {"child": child}, request=request)
