"""Reads of the absences app, scoped to the requesting user (DESIGN.md, one door)."""

import datetime

from django.http import Http404
from django.utils import timezone

from absences.models import DEFAULT_CUTOFF, Absence, AbsenceSettings
from daycare.access import guarded_children, staff_child_filter, staff_scope


def cutoff_for(location) -> datetime.time:
    setting = AbsenceSettings.objects.filter(location=location).first()
    return setting.cutoff_time if setting else DEFAULT_CUTOFF


def today_is_open(location, now=None) -> bool:
    """Whether a parent can still report absence for today at this location."""
    now = now or timezone.now()
    return timezone.localtime(now).time() < cutoff_for(location)


def parent_absences(user):
    """Reports of the children this user is guardian of, not withdrawn."""
    return Absence.objects.filter(
        child__in=guarded_children(user), withdrawn_at__isnull=True
    ).select_related("child", "reported_by")


def get_parent_absence_for(user, code: str) -> Absence:
    try:
        return parent_absences(user).get(code=code)
    except Absence.DoesNotExist:
        raise Http404 from None


def staff_absences_on(user, day: datetime.date):
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
