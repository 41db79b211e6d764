"""Reads of the diary, always scoped to a user and to diary consent (R2, R9)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from daycare.access import StaffScope, guarded_children, staff_child_filter, staff_scope
from diary.items import describe
from diary.models import DiaryDay, DiaryEntry
from photos.selectors import photos_for_child_day

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from daycare.models import Child, Group

WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
PRINT_MAX_DAYS = 366


def get_entry_for(user: "User", code: str) -> DiaryEntry:
    """An entry this user may reach now: access and diary consent; 404 otherwise."""
    try:
        return (
            DiaryEntry.objects.visible_to(user)
            .select_related("day__child__group__location", "author")
            .get(code=code)
        )
    except DiaryEntry.DoesNotExist:
        raise Http404 from None


def get_parent_note_for(user: "User", code: str) -> DiaryEntry:
    """A parent note on a child of this guardian (parent pages); 404 otherwise."""
    try:
        return (
            DiaryEntry.objects.visible_to(user)
            .filter(kind=DiaryEntry.Kind.PARENT, day__child__in=guarded_children(user))
            .select_related("day__child__group__location", "author")
            .get(code=code)
        )
    except DiaryEntry.DoesNotExist:
        raise Http404 from None


def parse_week(value: str | None) -> Date | None:
    """The Monday of an ISO week written as ``2026-W47``; None when it is not one."""
    match = WEEK_RE.match(value or "")
    if not match:
        return None
    try:
        return Date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def week_label(monday: Date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: Date) -> Date:
    return day - timedelta(days=day.weekday())


@dataclass
class DayView:
    day: DiaryDay
    entries: list[Any]
    meals: list[Any] = field(default_factory=list)
    sleep: list[Any] = field(default_factory=list)
    nappies: list[Any] = field(default_factory=list)
    mood: str = ""
    mood_edited: bool = False
    activities: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    photos: list[Any] = field(default_factory=list)

    @property
    def has_items(self) -> bool:
        return bool(self.meals or self.sleep or self.nappies or self.mood or self.activities)


def day_view(day: DiaryDay) -> DayView:
    """The day laid out for reading: the items of all entries together, then the notes."""
    entries = list(day.entries.all())
    view = DayView(day=day, entries=entries)
    for entry in entries:
        edited = entry.edited_at is not None
        described = describe(entry.items or {})
        view.meals += [{**meal, "edited": edited} for meal in described["meals"]]
        view.sleep += [{**period, "edited": edited} for period in described["sleep"]]
        view.nappies += [{**nappy, "edited": edited} for nappy in described["nappies"]]
        if described["mood"]:
            view.mood, view.mood_edited = described["mood"], edited
        for activity in described["activities"]:
            if activity not in view.activities:
                view.activities.append(activity)
        if entry.text:
            view.notes.append(entry)
    view.sleep.sort(key=lambda period: period["start"])
    view.nappies.sort(key=lambda nappy: nappy["time"])
    return view


def days_of(user: "User", child: "Child") -> "QuerySet[DiaryDay]":
    return (
        DiaryDay.objects.visible_to(user)
        .filter(child=child)
        .prefetch_related(Prefetch("entries", queryset=DiaryEntry.objects.select_related("author")))
    )


@dataclass
class Week:
    monday: Date
    days: list[DayView]
    older: Date | None
    newer: Date | None

    @property
    def sunday(self) -> Date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def older_label(self) -> str | None:
        return week_label(monday_of(self.older)) if self.older else None

    @property
    def newer_label(self) -> str | None:
        return week_label(monday_of(self.newer)) if self.newer else None


def timeline_week_for_parent(user: "User", child: "Child", monday: Date) -> Week:
    """One week of a parent's own child's diary (``timeline_week``) with, per day, the photos
    this parent may see (the photos app's parent door, R10)."""
    week = timeline_week(user, child, monday)
    attach_photos(user, child, week.days)
    return week


def timeline_week_for_staff(user: "User", child: "Child", monday: Date) -> Week:
    """One week of a child's diary for staff (``timeline_week``): no photos, which staff see
    in the group's gallery."""
    return timeline_week(user, child, monday)


def timeline_week(user: "User", child: "Child", monday: Date) -> Week:
    """One week of a child's diary, newest day first, with the nearest older and newer days
    that have entries (for the week links). Four queries (and the photos), whatever the size
    of the diary: the access and consent rule for this one child first (the inner wall, in
    SQL), then plain reads of that child's days. Building the rule into each of the reads
    cost more CPU in the ORM than the reads themselves (bench/queries.py, issue 10). Pages call
    ``timeline_week_for_parent`` or ``timeline_week_for_staff``."""
    sunday = monday + timedelta(days=6)
    if not DiaryDay.objects.visible_to(user).filter(child=child).values("pk")[:1].exists():
        return Week(monday=monday, days=[], older=None, newer=None)
    mine = DiaryDay.objects.filter(child=child)
    days = [
        day_view(day)
        for day in mine.filter(date__range=(monday, sunday))
        .prefetch_related(Prefetch("entries", queryset=DiaryEntry.objects.select_related("author")))
        .order_by("-date")
    ]
    around = mine.aggregate(
        older=Max("date", filter=Q(date__lt=monday)), newer=Min("date", filter=Q(date__gt=sunday))
    )
    return Week(monday=monday, days=days, older=around["older"], newer=around["newer"])


def period_days(user: "User", child: "Child", start: Date, end: Date) -> list[DayView]:
    """The days of a period, oldest first (the print view and the export)."""
    return [
        day_view(day)
        for day in days_of(user, child).filter(date__range=(start, end)).order_by("date")
    ]


def attach_photos(user: "User", child: "Child", days: list[DayView]) -> None:
    """Per day, the photos this parent may see (R10): the photos app's parent door, each photo
    behind its own photo consent, in one query."""
    if not days:
        return
    found = photos_for_child_day(user, child, [view.day.date for view in days])
    for view in days:
        view.photos = list(found.get(view.day.date, []))


def group_day_overview(user: "User", group: "Group", day: Date) -> list[dict[str, Any]]:
    """Per child of the group: consent state and the entries written on ``day`` (3 queries)."""
    from consent.models import Purpose
    from consent.selectors import consent_states

    children = list(group.children.filter(archived_at__isnull=True).order_by("first_name"))
    states = consent_states(children)
    counts: dict[int, Mapping[str, Any]] = {
        row["day__child_id"]: row
        for row in DiaryEntry.objects.visible_to(user)
        .filter(day__child__in=[c.pk for c in children], day__date=day)
        .values("day__child_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
    }
    return [
        {
            "child": child,
            "state": states[child.pk][Purpose.DIARY],
            "entries": counts.get(child.pk, {}).get("n", 0),
            "last": counts.get(child.pk, {}).get("last"),
        }
        for child in children
    ]


def unread_parent_notes(user: "User", limit: int = 20) -> "QuerySet[DiaryEntry]":
    """Parent notes not yet read, on children of my groups or my location (staff home)."""
    scope = staff_scope(user)
    if not (scope.group_ids or scope.location_ids):
        return DiaryEntry.objects.none()
    # Customer service sees every child, but this list is for the people on the floor.
    only_mine = StaffScope(group_ids=scope.group_ids, location_ids=scope.location_ids)
    return (
        DiaryEntry.objects.visible_to(user)
        .filter(staff_child_filter(only_mine, "day__child__"))
        .filter(kind=DiaryEntry.Kind.PARENT, read_at__isnull=True)
        .select_related("day__child", "author")
        .order_by("-created_at")[:limit]
    )


def today() -> Date:
    return timezone.localdate()
