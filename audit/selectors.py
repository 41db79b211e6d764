"""Reading the access log (R24): customer service's search and a parent's view per child."""

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from audit.models import AccessEvent, AccessRole

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet

    from audit.models import AccessEvent
    from daycare.models import Child


def search_events(
    *,
    child: str = "",
    staff: str = "",
    kind: str = "",
    start: "date | None" = None,
    end: "date | None" = None,
) -> "QuerySet[AccessEvent]":
    """Events matching customer service's filters, newest first. Text filters are plain
    ORM lookups (parameterised), so any string is only ever a search term."""
    events = AccessEvent.objects.select_related("user", "child__group")
    if child:
        parts = child.split()
        q = Q(child__code=child)
        name_q = Q()
        for part in parts:
            name_q &= Q(child__first_name__icontains=part) | Q(child__last_name__icontains=part)
        events = events.filter(q | name_q)
    if staff:
        events = events.filter(user__email__icontains=staff)
    if kind:
        events = events.filter(kind=kind)
    tz = timezone.get_current_timezone()
    if start:
        events = events.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        events = events.filter(
            at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
        )
    return events.order_by("-at", "-pk")


def staff_events_for_child(child: "Child") -> "QuerySet[AccessEvent]":
    """What the staff did with this child's diary and photos, for the child's parents; the
    parents' own exports are not listed (they made them)."""
    return (
        AccessEvent.objects.filter(child=child)
        .exclude(role=AccessRole.GUARDIAN)
        .select_related("user")
        .order_by("-at", "-pk")
    )


def events_since_archived(child: "Child") -> "QuerySet[AccessEvent]":
    """Who opened or exported an archived child (R17): since archiving only customer service
    reaches it, so every event from then on is an access to the archive."""
    # events are kept per minute; only called for an archived child
    since = child.archived_at.replace(second=0, microsecond=0)  # type: ignore[union-attr]
    return (
        AccessEvent.objects.filter(child=child, at__gte=since)
        .select_related("user")
        .order_by("-at", "-pk")
    )
