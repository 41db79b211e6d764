"""What the diary shows on shared pages."""

from django.template.loader import render_to_string

from audit.models import AccessKind
from audit.services import access_log
from consent.models import Purpose
from consent.selectors import consent_state
from daycare.access import staff_scope
from diary import selectors


def child_card(request, *, child, children=None, **context):
    """A link to the timeline; the gate decides at the door, so no query per child here."""
    return render_to_string("diary/panels/child_card.html", {"child": child}, request=request)


def staff_home(request, *, groups=(), scope=None, **context):
    """The diary of each of my groups (not for customer service: that would be every group)
    and the parent notes nobody has read yet."""
    scope = scope or staff_scope(request.user)
    mine = [group for group in groups if scope.assigned_to(group)]
    notes = list(selectors.unread_parent_notes(request.user))
    if not notes and not mine:
        return None
    if notes:
        # The notes are diary text of these children: a staff read like the diary page (R24).
        access_log(
            user=request.user,
            kind=AccessKind.DIARY_READ,
            child_ids={note.day.child_id for note in notes},
        )
    return render_to_string(
        "diary/panels/staff_home.html", {"notes": notes, "groups": mine}, request=request
    )


def staff_child(request, *, child, **context):
    return render_to_string(
        "diary/panels/staff_child.html",
        {"child": child, "state": consent_state(child, Purpose.DIARY)},
        request=request,
    )
