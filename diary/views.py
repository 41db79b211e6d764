"""Parent pages of the diary (R9): the timeline per child, notes for the staff, the print view.

Views with the child in the URL sit behind ``@consent_gate(Purpose.DIARY)`` (outer wall); every
query goes through ``visible_to`` (inner wall). Staff read the same pages under /staff/diary/.
"""

from datetime import date as Date
from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent.gate import consent_gate
from consent.models import Purpose
from core.errors import DomainError
from daycare.access import get_guarded_child_for
from diary import selectors, services
from diary.forms import ParentNoteForm
from diary.models import DiaryEntry


def week_from_request(request) -> Date:
    """The Monday of ``?week=`` (default this week); a bad or future week falls back with a
    message."""
    this_week = selectors.monday_of(selectors.today())
    raw = request.GET.get("week")
    if raw is None:
        return this_week
    monday = selectors.parse_week(raw)
    if monday is None:
        messages.warning(request, _("That is not a week; showing this week."))
        return this_week
    if monday > this_week:
        messages.warning(request, _("The diary has no future weeks; showing this week."))
        return this_week
    return monday


def render_parent_timeline(request, child):
    """A parent's own child's week, with the photos this parent may see (R10)."""
    week = selectors.timeline_week_for_parent(request.user, child, week_from_request(request))
    return _render_timeline(request, child, week, staff=False, form=ParentNoteForm())


def render_staff_timeline(request, child):
    """A child's week for staff; no photos (staff use the gallery)."""
    week = selectors.timeline_week_for_staff(request.user, child, week_from_request(request))
    return _render_timeline(request, child, week, staff=True)


def _render_timeline(request, child, week, *, staff: bool, form=None):
    """The page around a week the caller's door already read; ``staff`` picks the links."""
    return render(
        request,
        "diary/timeline.html",
        {
            "child": child,
            "week": week,
            "staff": staff,
            "form": form,
            "today": selectors.today(),
            "print_from": selectors.today() - timedelta(days=27),
        },
    )


@consent_gate(Purpose.DIARY)
def timeline(request, child_code):
    child = get_guarded_child_for(request.user, child_code)
    return render_parent_timeline(request, child)


@consent_gate(Purpose.DIARY)
def note_add(request, child_code):
    child = get_guarded_child_for(request.user, child_code)
    form = ParentNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_write(
                author=request.user,
                child=child,
                date=selectors.today(),
                text=form.cleaned_data["text"],
                kind=DiaryEntry.Kind.PARENT,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your note has been added to the diary."))
            return redirect("diary:timeline", child_code=child.code)
    return render(
        request,
        "diary/note_form.html",
        {"child": child, "form": form},
        status=200 if request.method == "GET" else 400,
    )


def period_from_request(request):
    """``?from=&to=`` as dates (default the last four weeks), or an error message."""
    today = selectors.today()
    try:
        start = Date.fromisoformat(request.GET.get("from") or str(today - timedelta(days=27)))
        end = Date.fromisoformat(request.GET.get("to") or str(today))
    except ValueError:
        return None, None, _("Enter the period as two dates (from and to).")
    if end < start:
        return None, None, _("The end of the period must not be before its start.")
    if (end - start).days >= selectors.PRINT_MAX_DAYS:
        return None, None, _("Choose a period of at most a year.")
    return start, end, None


@consent_gate(Purpose.DIARY)
def print_view(request, child_code):
    child = get_guarded_child_for(request.user, child_code)
    return render_print(request, child, back=reverse("diary:timeline", args=[child.code]))


def render_print(request, child, *, back):
    start, end, error = period_from_request(request)
    days = selectors.period_days(request.user, child, start, end) if error is None else []
    return render(
        request,
        "diary/print.html",
        {
            "child": child,
            "start": start,
            "end": end,
            "days": days,
            "error": error,
            "back": back,
            "from_value": request.GET.get("from", ""),
            "to_value": request.GET.get("to", ""),
        },
        status=400 if error else 200,
    )


def note_edit(request, code):
    entry = selectors.get_parent_note_for(request.user, code)
    child = entry.day.child
    form = ParentNoteForm(request.POST or None, initial={"text": entry.text})
    if not services.can_edit(entry, request.user):
        messages.error(request, _("A note can only be changed on the day it was written."))
        return redirect("diary:timeline", child_code=child.code)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_edit(
                entry=entry, editor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your note has been changed."))
            return redirect("diary:timeline", child_code=child.code)
    return render(request, "diary/note_form.html", {"child": child, "form": form, "entry": entry})


@require_POST
def note_remove(request, code):
    entry = selectors.get_parent_note_for(request.user, code)
    child = entry.day.child
    try:
        services.diary_entry_remove(entry=entry, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your note has been removed."))
    return redirect("diary:timeline", child_code=child.code)
