"""Staff pages: the day overview, today's absences (htmx partial) and phoned-in reports (R11)."""

import datetime
from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from absences.forms import AbsenceForm
from absences.models import Absence
from absences.selectors import staff_absences_on
from absences.views import report_from_form
from core.http import passive
from daycare.access import get_child_for


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _by_group(absences):
    return [(group, list(rows)) for group, rows in groupby(absences, key=lambda a: a.child.group)]


def day_overview(request):
    day = _day(request)
    absences = list(staff_absences_on(request.user, day))
    return render(
        request,
        "absences/staff/day.html",
        {
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "is_today": day == timezone.localdate(),
            "by_group": _by_group(absences),
            "count": len(absences),
        },
    )


@passive
def today_partial(request):
    """The list of today's absences alone, polled by the staff home panel (htmx): not activity,
    so the tablet still reaches its idle timeout."""
    day = timezone.localdate()
    absences = list(staff_absences_on(request.user, day))
    return render(
        request,
        "absences/staff/_today.html#today",
        {"day": day, "by_group": _by_group(absences), "count": len(absences)},
    )


def register(request, code):
    """Register an absence a parent phoned in; the cut-off for parents does not apply."""
    child = get_child_for(request.user, code)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        absence = report_from_form(
            form, child=child, reported_by=request.user, channel=Absence.Channel.PHONE
        )
        if absence is not None:
            messages.success(
                request, _("The absence of %(child)s is registered.") % {"child": child.first_name}
            )
            return redirect("absences_staff:day")
    return render(request, "absences/staff/register.html", {"child": child, "form": form})
