"""Parent pages: report a child absent, see and withdraw reports (R11). No consent needed (R3)."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from absences import services
from absences.forms import AbsenceForm
from absences.models import Absence
from absences.selectors import (
    children_who_can_be_reported,
    closed_days,
    cutoff_for,
    get_parent_absence_for,
    parent_absences,
    today_is_open,
)
from core.errors import DomainError
from daycare.access import get_guarded_child_for, guarded_children


def absence_list(request):
    today = timezone.localdate()
    children = list(guarded_children(request.user).select_related("group__location"))
    reportable = children_who_can_be_reported(children, today)
    children = [child for child in children if child.pk in reportable]
    absences = parent_absences(request.user).filter(end_date__gte=today).order_by("start_date")
    return render(
        request,
        "absences/list.html",
        {"children": children, "absences": absences, "today": today},
    )


def skipped_message(skipped, absence) -> str:
    """R11: a range skips the days the location is closed, and says which."""
    days = sorted(skipped)
    shown = ", ".join(
        f"{date_format(day, 'j F')} ({reason})" for day, reason in list(skipped.items())[:8]
    )
    more = len(days) - 8
    text = ngettext(
        "%(count)s day the location is closed was skipped: %(days)s",
        "%(count)s days the location is closed were skipped: %(days)s",
        len(days),
    ) % {"count": len(days), "days": shown}
    if more > 0:
        text += " " + ngettext("and %(n)s more.", "and %(n)s more.", more) % {"n": more}
    return text


def report_from_form(
    form: AbsenceForm, *, child, reported_by, channel: str = Absence.Channel.PORTAL
) -> Absence | None:
    """Report the absence of a valid ``form``; None with the refusal added to the form.
    Shared by the parent's report and the staff's registration of a phoned-in absence."""
    try:
        return services.absence_report(
            child=child,
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            reported_by=reported_by,
            channel=channel,
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return None


def absence_report(request, code):
    child = get_guarded_child_for(request.user, code)
    if child.pk not in children_who_can_be_reported([child]):
        # R11: a child whose contract ended has no days left to report.
        messages.error(
            request,
            _("%(child)s has no running care contract, so there is nothing to report.")
            % {"child": child.first_name},
        )
        return redirect("absences:list")
    location = child.group.location
    today_open = today_is_open(location)
    # After the cut-off the form suggests tomorrow: today is for a phone call.
    first_day = timezone.localdate() + datetime.timedelta(days=0 if today_open else 1)
    form = AbsenceForm(request.POST or None, first_day=first_day)
    if request.method == "POST" and form.is_valid():
        absence = report_from_form(form, child=child, reported_by=request.user)
        if absence is not None:
            messages.success(
                request,
                _("%(child)s has been reported absent. The group staff can see it now.")
                % {"child": child.first_name},
            )
            skipped = closed_days(
                location, form.cleaned_data["start_date"], form.cleaned_data["end_date"]
            )
            if skipped:
                messages.info(request, skipped_message(skipped, absence))
            return redirect("absences:list")
    return render(
        request,
        "absences/report.html",
        {
            "child": child,
            "location": location,
            "form": form,
            "cutoff": cutoff_for(location),
            "today_open": today_open,
        },
    )


@require_POST
def absence_withdraw(request, code):
    absence = get_parent_absence_for(request.user, code)
    try:
        services.absence_withdraw(absence=absence)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report has been withdrawn."))
    return redirect("absences:list")
