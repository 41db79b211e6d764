"""Writes of the absences app (R11): report, withdraw."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from absences.models import Absence, AbsenceSettings, LocationClosure
from absences.selectors import closed_days, contract_running, cutoff_for
from core.errors import DomainError
from daycare.models import Child, Location

if TYPE_CHECKING:
    from django.forms import ModelForm

    from accounts.models import User

MAX_DAYS_AHEAD = 365


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def _check_range(
    start_date: datetime.date, end_date: datetime.date, *, reason: str, today: datetime.date
) -> None:
    """DomainError unless the days run forward, from today to at most a year ahead, with a
    reason from the list."""
    if end_date < start_date:
        raise DomainError(_("The last day is before the first day."))
    if start_date < today:
        raise DomainError(_("You cannot report an absence for a day in the past."))
    if end_date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(_("You can report an absence at most a year ahead."))
    if reason not in Absence.Reason.values:
        raise DomainError(_("Choose a reason."))


def _check_contracts(child: Child, start_date: datetime.date, end_date: datetime.date) -> None:
    """DomainError naming the first day without a running care contract, if any."""
    contracts = list(child.contracts.values_list("start_date", "end_date"))
    day = start_date
    while day <= end_date:
        if not contract_running(contracts, day):
            raise DomainError(
                _(
                    "%(child)s has no running care contract on %(date)s. Absences can only be "
                    "reported for days of a contract."
                )
                % {"child": child.first_name, "date": _date(day)}
            )
        day += datetime.timedelta(days=1)


def _check_cutoff(location: Location, now: datetime.datetime) -> None:
    """DomainError when a parent reports for today after the location's cut-off time."""
    cutoff = cutoff_for(location)
    if timezone.localtime(now).time() >= cutoff:
        raise DomainError(
            _("Reports for today close at %(time)s. Please call the location: %(phone)s.")
            % {"time": cutoff.strftime("%H:%M"), "phone": location.phone}
        )


def absence_report(
    *,
    child: Child,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str,
    note: str = "",
    reported_by: "User",
    channel: str = Absence.Channel.PORTAL,
) -> Absence:
    """Report ``child`` absent from ``start_date`` to ``end_date`` (inclusive).

    Refused: end before start, a day in the past, more than a year ahead, a day without a
    running care contract, a day the location is closed (weekday it is not open, closing days),
    a day already covered by another report (never doubled), and (for parents, channel portal)
    today after the location's cut-off time: then the parent is asked to call the location.
    A range that starts or ends on closed days is shortened to the open days (R11); the closed
    days inside it are skipped by the staff overview, which only lists open days.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    _check_range(start_date, end_date, reason=reason, today=today)
    _check_contracts(child, start_date, end_date)
    location = child.group.location
    closed = closed_days(location, start_date, end_date)
    open_days = [
        start_date + datetime.timedelta(days=i)
        for i in range((end_date - start_date).days + 1)
        if start_date + datetime.timedelta(days=i) not in closed
    ]
    if not open_days:
        if start_date == end_date:
            raise DomainError(
                _("%(location)s is closed on %(date)s (%(reason)s): no report is needed.")
                % {
                    "location": location.name,
                    "date": _date(start_date),
                    "reason": closed[start_date],
                }
            )
        raise DomainError(
            _("%(location)s is closed on every day from %(start)s to %(end)s: no report is needed.")
            % {"location": location.name, "start": _date(start_date), "end": _date(end_date)}
        )
    start_date, end_date = open_days[0], open_days[-1]
    if channel == Absence.Channel.PORTAL and start_date == today:
        _check_cutoff(location, now)
    with transaction.atomic():
        # One report at a time per child: the lock makes the overlap check hold under races.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        existing = (
            Absence.objects.filter(
                child=child,
                withdrawn_at__isnull=True,
                start_date__lte=end_date,
                end_date__gte=start_date,
            )
            .order_by("start_date")
            .first()
        )
        if existing is not None:
            raise DomainError(
                _(
                    "%(child)s is already reported absent from %(start)s to %(end)s. "
                    "Withdraw that report first if you want to change it."
                )
                % {
                    "child": child.first_name,
                    "start": _date(existing.start_date),
                    "end": _date(existing.end_date),
                }
            )
        return Absence.objects.create(
            child=child,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
            note=note.strip(),
            reported_by=reported_by,
            channel=channel,
        )


def absence_withdraw(*, absence: Absence) -> Absence:
    """Withdraw the future part of a report: days after today.

    A report that has not started is withdrawn as a whole; one that already started ends today;
    one that ends today or earlier cannot be withdrawn any more (call the location).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        absence = Absence.objects.select_for_update().get(pk=absence.pk)
        if absence.withdrawn_at is not None:
            raise DomainError(_("This report was already withdrawn."))
        if absence.start_date > today:
            absence.withdrawn_at = now
            absence.save(update_fields=["withdrawn_at"])
        elif absence.end_date > today:
            absence.end_date = today
            absence.save(update_fields=["end_date"])
        else:
            raise DomainError(
                _("This report has no days left to withdraw. Please call the location.")
            )
    return absence


def location_update(
    *, form: "ModelForm[Location]", cutoff_time: datetime.time, opening_days: str
) -> Location:
    """Save a location's information (``form``, a valid ``ModelForm`` of the ``Location``) and
    its absence settings together (R11, R14): both or neither."""
    with transaction.atomic():
        location = form.save()
        absence_settings_set(location=location, cutoff_time=cutoff_time, opening_days=opening_days)
    return location


def absence_settings_set(
    *, location: Location, cutoff_time: datetime.time, opening_days: str | None = None
) -> None:
    defaults: dict[str, Any] = {"cutoff_time": cutoff_time}
    if opening_days is not None:
        days = "".join(sorted({day for day in opening_days if day in "1234567"}))
        if not days:
            raise DomainError(_("Choose at least one day the location is open."))
        defaults["opening_days"] = days
    AbsenceSettings.objects.update_or_create(location=location, defaults=defaults)


def closure_add(
    *, location: Location, start_date: datetime.date, end_date: datetime.date, reason: str
) -> LocationClosure:
    if end_date < start_date:
        raise DomainError(_("The last day is before the first day."))
    if end_date < timezone.localdate():
        raise DomainError(_("These days are in the past."))
    if (end_date - start_date).days > MAX_DAYS_AHEAD:
        raise DomainError(_("A closure can last at most a year."))
    return LocationClosure.objects.create(
        location=location, start_date=start_date, end_date=end_date, reason=reason.strip()
    )


def closure_delete(*, closure: LocationClosure) -> None:
    """Remove closing days: parents can report absences for them again (R11)."""
    closure.delete()
