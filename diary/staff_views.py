"""Staff pages of the diary (R9), tablet first. Behind the staff guard (role + two-factor)."""

from datetime import date as Date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_log
from consent.gate import consent_gate
from consent.models import Purpose
from consent.selectors import ConsentState, consent_states
from core.errors import DomainError
from daycare.access import get_child_for, get_group_for, staff_scope
from diary import selectors, services
from diary.forms import EntryForm, GroupGridForm, SharedNoteForm
from diary.views import render_print, render_staff_timeline


def _date_from_request(request) -> Date:
    today = selectors.today()
    raw = request.GET.get("date")
    if not raw:
        return today
    try:
        day = Date.fromisoformat(raw)
    except ValueError:
        messages.warning(request, _("That is not a date; showing today."))
        return today
    if day > today:
        messages.warning(request, _("A diary day cannot be in the future; showing today."))
        return today
    return day


def group_overview(request, code):
    """Each child of the group on a day: diary consent and what has been written."""
    group = get_group_for(request.user, code)
    day = _date_from_request(request)
    rows = selectors.group_day_overview(request.user, group, day)
    return render(
        request,
        "diary/staff/group.html",
        {"group": group, "day": day, "rows": rows, "today": selectors.today()},
    )


def _next_child(child):
    """The next child of the group (by first name) with diary consent, for the "next child"
    step after the group grid; ``None`` after the last."""

    children = list(
        child.group.children.filter(archived_at__isnull=True).order_by("first_name", "pk")
    )
    states = consent_states(children)
    after = children[[c.pk for c in children].index(child.pk) + 1 :]
    return next(
        (c for c in after if states[c.pk][Purpose.DIARY] == ConsentState.GIVEN),
        None,
    )


@consent_gate(Purpose.DIARY)
def child_day(request, child_code):
    """Write for one child: quick-fill items and text, added to the day's diary."""
    child = get_child_for(request.user, child_code)
    access_log(user=request.user, child=child, kind=AccessKind.DIARY_READ)  # R24
    day = _date_from_request(request)
    next_child = _next_child(child)
    form = EntryForm(request.POST or None, initial={"date": day})
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_write(
                author=request.user,
                child=child,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                items=form.cleaned_data["items"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Saved in the diary of %(name)s.") % {"name": child.first_name}
            )
            going = next_child if request.POST.get("then") == "next" and next_child else child
            url = reverse("diary_staff:child", args=[going.code])
            return redirect(f"{url}?date={form.cleaned_data['date'].isoformat()}")
    days = list(selectors.days_of(request.user, child).filter(date=day))
    view = selectors.day_view(days[0]) if days else None
    return render(
        request,
        "diary/staff/child_day.html",
        {
            "child": child,
            "day": day,
            "view": view,
            "form": form,
            "today": selectors.today(),
            "next_child": next_child,
            "manager_locations": staff_scope(request.user).location_ids,
            "editable": {
                entry.pk
                for entry in (view.entries if view else [])
                if services.can_edit(entry, request.user)
            },
        },
        status=400 if request.method == "POST" else 200,
    )


@consent_gate(Purpose.DIARY)
def child_timeline(request, child_code):
    child = get_child_for(request.user, child_code)
    access_log(user=request.user, child=child, kind=AccessKind.DIARY_READ)  # R24
    return render_staff_timeline(request, child)


@consent_gate(Purpose.DIARY)
def child_print(request, child_code):
    child = get_child_for(request.user, child_code)
    access_log(user=request.user, child=child, kind=AccessKind.DIARY_READ)  # R24
    return render_print(request, child, back=reverse("diary_staff:timeline", args=[child.code]))


def shared_note(request, code):
    """One note for several children: pick, preview who is excluded (no consent), save."""
    group = get_group_for(request.user, code)
    children = group.children.filter(archived_at__isnull=True).order_by("first_name")
    child_list = list(children)
    if set(request.POST.getlist("children")) - {child.code for child in child_list}:
        raise Http404  # a child of another group, or a forged value: as for a forged URL
    form = SharedNoteForm(request.POST or None, children=children)

    states = consent_states(child_list)
    choices = [(child, states[child.pk][Purpose.DIARY]) for child in child_list]
    preview = None
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["children"])
        if request.POST.get("action") == "save":
            try:
                result = services.diary_shared_note_write(
                    author=request.user,
                    children=chosen,
                    date=form.cleaned_data["date"],
                    text=form.cleaned_data["text"],
                    items=form.cleaned_data["items"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                names = ", ".join(entry.day.child.first_name for entry in result.entries)
                messages.success(
                    request, _("The note was added to the diary of %(names)s.") % {"names": names}
                )
                if result.excluded:
                    messages.warning(
                        request,
                        _("Not added for %(names)s: no diary consent.")
                        % {"names": ", ".join(c.first_name for c, _s in result.excluded)},
                    )
                return redirect("diary_staff:group", code=group.code)
        included, excluded = services.split_by_consent(chosen)
        preview = {"included": included, "excluded": excluded}
    return render(
        request,
        "diary/staff/shared_note.html",
        {
            "group": group,
            "form": form,
            "choices": choices,
            "preview": preview,
            "checked": request.POST.getlist("children"),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


def _names(children) -> str:
    return ", ".join(child.first_name for child in children)


def group_grid(request, code):
    """Meals and sleep for the whole group at once (issue 17): a row per child with the same
    quick-fill chips, "for everyone" values, then the details per child ("next child").
    Children without diary consent are listed with the reason and get no fields (R2); the
    service checks consent again when saving and the page says who was skipped."""

    group = get_group_for(request.user, code)
    children = list(group.children.filter(archived_at__isnull=True).order_by("first_name"))
    by_code = {child.code: child for child in children}
    posted = {
        key.split("-", 1)[1]
        for key in request.POST
        if key.split("-", 1)[0] in {"include", "amount", "sleep_start", "sleep_end"} and "-" in key
    }
    if posted - set(by_code):
        raise Http404  # a child of another group, or a forged value: as for a forged URL
    states = consent_states(children)
    writable = [c for c in children if states[c.pk][Purpose.DIARY] == ConsentState.GIVEN]
    form = GroupGridForm(
        request.POST or None,
        children=writable,
        initial={"date": _date_from_request(request)},
    )
    if request.method == "POST" and form.is_valid():
        # A child whose consent ended since the page was shown: its row is gone, say so.
        skipped = [
            by_code[child_code]
            for child_code in sorted(posted)
            if by_code[child_code] not in writable and request.POST.get(f"include-{child_code}")
        ]
        try:
            result = services.diary_group_write(
                author=request.user, date=form.cleaned_data["date"], rows=form.rows
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            saved = [entry.day.child for entry in result.entries]
            messages.success(request, _("Saved for %(names)s.") % {"names": _names(saved)})
            skipped += [child for child, _state in result.excluded]
            if skipped:
                messages.warning(
                    request,
                    _("Not saved for %(names)s: no diary consent.") % {"names": _names(skipped)},
                )
            url = reverse("diary_staff:child", args=[saved[0].code])
            return redirect(f"{url}?date={form.cleaned_data['date'].isoformat()}")
    off = []
    for child in children:
        state = states[child.pk][Purpose.DIARY]
        if state == ConsentState.REFUSED:
            off.append((child, _("No diary: consent refused")))
        elif state != ConsentState.GIVEN:
            off.append((child, _("No diary: parents have not decided yet")))
    return render(
        request,
        "diary/staff/grid.html",
        {"group": group, "form": form, "off": off, "today": selectors.today()},
        status=400 if request.method == "POST" else 200,
    )


def entry_edit(request, code):
    entry = selectors.get_entry_for(request.user, code)
    child = entry.day.child
    access_log(user=request.user, child=child, kind=AccessKind.DIARY_READ)  # R24
    back = f"{reverse('diary_staff:child', args=[child.code])}?date={entry.day.date.isoformat()}"
    if not services.can_edit(entry, request.user):
        messages.error(
            request, _("Only the author can correct an entry, on the day it was written.")
        )
        return redirect(back)
    form = EntryForm(request.POST or None, with_date=False, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_edit(
                entry=entry,
                editor=request.user,
                text=form.cleaned_data["text"],
                items=form.cleaned_data["items"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The entry has been corrected."))
            return redirect(back)
    return render(
        request,
        "diary/staff/entry_edit.html",
        {"entry": entry, "child": child, "form": form, "back": back},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def entry_remove(request, code):
    entry = selectors.get_entry_for(request.user, code)
    child, day = entry.day.child, entry.day.date
    try:
        services.diary_entry_remove(entry=entry, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The entry has been removed."))
    return redirect(f"{reverse('diary_staff:child', args=[child.code])}?date={day.isoformat()}")


@require_POST
def parent_note_read(request, code):
    entry = selectors.get_entry_for(request.user, code)
    try:
        services.diary_parent_note_mark_read(entry=entry, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("staff:home")
