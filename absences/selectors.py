"""Reads of the absences app, scoped to the requesting user (DESIGN.md, one door)."""

import datetime
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from absences.models import (
    DEFAULT_CUTOFF,
    DEFAULT_OPENING_DAYS,
    WEEKDAYS,
    Absence,
    AbsenceSettings,
    LocationClosure,
)
from daycare.access import guarded_children, staff_child_filter, staff_scope
from daycare.models import CareContract

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from accounts.models import User
    from daycare.models import Child, Location


def cutoff_for(location: "Location") -> datetime.time:
    setting = AbsenceSettings.objects.filter(location=location).first()
    return setting.cutoff_time if setting else DEFAULT_CUTOFF


def opening_days_for(location: "Location") -> set[int]:
    """ISO weekdays (1 = Monday) the location is open (R11)."""
    setting = AbsenceSettings.objects.filter(location=location).first()
    days = setting.opening_days if setting else DEFAULT_OPENING_DAYS
    return {int(day) for day in days if day.isdigit()}


def closed_days(
    location: "Location", start: datetime.date, end: datetime.date
) -> dict[datetime.date, str]:
    """The days from ``start`` to ``end`` the location is closed, each with the reason a parent
    reads: the weekday it is never open, or the closing days' own reason (R11). Two queries."""
    opening = opening_days_for(location)
    closures = list(
        LocationClosure.objects.filter(
            location=location, start_date__lte=end, end_date__gte=start
        ).order_by("start_date")
    )
    names = dict(WEEKDAYS)
    closed = {}
    day = start
    while day <= end:
        if day.isoweekday() not in opening:
            closed[day] = _("closed on %(weekday)s") % {"weekday": names[str(day.isoweekday())]}
        else:
            for closure in closures:
                if closure.start_date <= day <= closure.end_date:
                    closed[day] = closure.reason
                    break
        day += datetime.timedelta(days=1)
    return closed


def contract_running(
    contracts: "Iterable[tuple[datetime.date, datetime.date | None]]", day: datetime.date
) -> bool:
    """Whether one of ``contracts`` ((start, end) pairs, end None = open) covers ``day``."""
    return any(start <= day and (end is None or day <= end) for start, end in contracts)


def children_who_can_be_reported(
    children: "Iterable[Child]", today: datetime.date | None = None
) -> set[int]:
    """Ids of those ``children`` with a contract that runs today or later: only their cards
    offer "Report absent" (R11). One query for all of them."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return set(
        CareContract.objects.filter(child__in=[child.pk for child in children])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("child_id", flat=True)
    )


def today_is_open(location: "Location", now: datetime.datetime | None = None) -> bool:
    """Whether a parent can still report absence for today at this location."""
    now = now or timezone.now()
    return timezone.localtime(now).time() < cutoff_for(location)


def parent_absences(user: "User") -> "QuerySet[Absence]":
    """Reports of the children this user is guardian of, not withdrawn."""
    return Absence.objects.filter(
        child__in=guarded_children(user), withdrawn_at__isnull=True
    ).select_related("child", "reported_by")


def get_parent_absence_for(user: "User", code: str) -> Absence:
    try:
        return parent_absences(user).get(code=code)
    except Absence.DoesNotExist:
        raise Http404 from None


def staff_absences_on(user: "User", day: datetime.date) -> "QuerySet[Absence]":
    """Absences on ``day`` of the children this staff member works with; none for others."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Absence.objects.none()
    return (
        Absence.objects.filter(
            staff_child_filter(scope, "child__"),
            child__archived_at__isnull=True,
            withdrawn_at__isnull=True,
            start_date__lte=day,
            end_date__gte=day,
        )
        .select_related("child__group__location", "reported_by")
        .order_by("child__group__location__name", "child__group__name", "child__first_name")
    )
