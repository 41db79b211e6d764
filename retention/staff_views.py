"""Customer service pages: the archive (R17) and the data request queue (R20).

Only customer service (the privacy officer) reaches them; every other staff member gets 404.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.models import AccessKind
from audit.services import access_log
from daycare.access import is_customer_service
from daycare.models import Guardianship
from diary.models import DiaryEntry
from portal.errors import DomainError
from retention import schedule, services
from retention.engine import with_end_dates
from retention.exports import child_record
from retention.forms import (
    ChildCorrectionForm,
    EntryCorrectionForm,
    ErasureForm,
    NoteForm,
    OutcomeForm,
    ParentCorrectionForm,
    PartialErasureForm,
)
from retention.models import ArchiveAccess, DataRequest, Export
from retention.selectors import (
    WARN_DAYS,
    archived_children,
    get_archived_child_for,
    get_request_for_service,
    requests_for_service,
)


@reauthentication_required
def _require_fresh_login(request):
    """Data leaves or goes for good: allauth asks for the password or a code again first (R23),
    then resumes the request that was interrupted."""


def _service_only(request):
    if not is_customer_service(request.user):
        raise Http404


def archive(request):
    _service_only(request)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL
    children = archived_children(request.user).select_related("group__location")
    if query:
        children = children.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    today = timezone.localdate()
    children = with_end_dates(children, today).order_by("last_name", "first_name", "pk")
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    rows = [(child, child.last_end and schedule.destroy_on(child.last_end)) for child in page]
    return render(
        request, "retention/staff/archive.html", {"page": page, "rows": rows, "query": query}
    )


def archive_child(request, code):
    child = get_archived_child_for(request.user, code)
    if request.method == "POST":
        _require_fresh_login(request)
        ArchiveAccess.objects.create(child=child, user=request.user, action="export")
        services.export_request(requested_by=request.user, child=child, view_as=request.user)
        messages.success(request, _("The export is being prepared; it appears below."))
        return redirect("retention_staff:archive_child", code=child.code)
    ArchiveAccess.objects.create(child=child, user=request.user, action="open")
    access_log(user=request.user, child=child, kind=AccessKind.ARCHIVE_OPENED)
    end = with_end_dates(type(child).objects.filter(pk=child.pk), timezone.localdate()).first()
    return render(
        request,
        "retention/staff/archive_child.html",
        {
            "child": child,
            "record": child_record(child),
            "destroy_on": end.last_end and schedule.destroy_on(end.last_end),
            "exports": Export.objects.filter(child=child, requested_by=request.user),
            "accesses": ArchiveAccess.objects.filter(child=child).select_related("user")[:20],
        },
    )


def requests(request):
    _service_only(request)
    today = timezone.localdate()
    show_closed = request.GET.get("closed") == "1"
    qs = requests_for_service(request.user)
    qs = qs if show_closed else qs.filter(status__in=DataRequest.OPEN_STATUSES)
    rows = []
    for item in qs.order_by("deadline", "received_at")[:200]:
        days = (item.deadline - today).days
        state = ""
        if item.is_open:
            state = "overdue" if days < 0 else ("soon" if days <= WARN_DAYS else "")
        rows.append((item, abs(days), state))
    return render(
        request,
        "retention/staff/requests.html",
        {"rows": rows, "show_closed": show_closed, "today": today},
    )


def request_detail(request, code):
    item = get_request_for_service(request.user, code)
    forms = {
        "note": NoteForm(prefix="note"),
        "outcome": OutcomeForm(prefix="outcome"),
        "erase": ErasureForm(prefix="erase"),
    }
    erasing = item.is_open and item.kind == DataRequest.Kind.ERASURE
    if erasing:
        forms["part_form"] = _partial_erasure_form(item)
    correcting = item.is_open and item.kind == DataRequest.Kind.CORRECTION
    entries = []
    if correcting:
        forms["parent_form"] = ParentCorrectionForm(instance=item.requested_by, prefix="parent")
        if item.child_id:
            forms["child_form"] = ChildCorrectionForm(instance=item.child, prefix="child")
            entries = list(
                DiaryEntry.objects.filter(day__child_id=item.child_id)
                .select_related("day", "author")
                .order_by("-day__date", "-pk")[:50]
            )
            forms["entry_form"] = EntryCorrectionForm(entries=entries, prefix="entry")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("export", "erase", "erase_part"):
            _require_fresh_login(request)
        try:
            if action == "take":
                services.request_take(request=item, user=request.user)
                messages.success(request, _("You handle this request now."))
            elif action == "note":
                forms["note"] = form = NoteForm(request.POST, prefix="note")
                if not form.is_valid():
                    raise DomainError(pgettext("data request", "Write a note first."))
                services.request_note(
                    request=item, user=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The note has been saved."))
            elif action == "export":
                services.request_answer_access(request=item, user=request.user)
                messages.success(request, _("The export is being prepared for the parent."))
            elif action in ("done", "refuse"):
                forms["outcome"] = form = OutcomeForm(request.POST, prefix="outcome")
                if not form.is_valid():
                    raise DomainError(_("Write the outcome for the parent; they will read it."))
                services.request_close(
                    request=item,
                    user=request.user,
                    outcome=form.cleaned_data["outcome"],
                    refused=action == "refuse",
                )
                messages.success(request, _("The request has been closed."))
            elif action == "erase":
                forms["erase"] = form = ErasureForm(request.POST, prefix="erase")
                if not form.is_valid():
                    raise DomainError(_("Confirm the erasure first."))
                done = services.request_erase(
                    request=item, user=request.user, legal_duty=form.cleaned_data["legal_duty"]
                )
                if done.status == DataRequest.Status.REFUSED:
                    messages.warning(request, done.outcome)
                else:
                    messages.success(request, _("The data has been erased."))
            elif erasing and action == "erase_part":
                forms["part_form"] = form = _partial_erasure_form(item, request.POST)
                if not form.is_valid():
                    raise DomainError(_("Choose what to erase and confirm it."))
                part, entry_id = form.chosen()
                services.request_erase_part(
                    request=item, user=request.user, part=part, entry_id=entry_id
                )
                messages.success(request, _("That part of the data has been erased."))
            elif correcting and action == "correct_parent":
                forms["parent_form"] = form = ParentCorrectionForm(
                    request.POST, instance=item.requested_by, prefix="parent"
                )
                if not form.is_valid():
                    raise DomainError(_("Check the fields marked below."))
                services.request_correct(
                    request=item, user=request.user, form=form, what=_("parent")
                )
                messages.success(request, _("The correction has been saved."))
            elif correcting and item.child_id and action == "correct_child":
                forms["child_form"] = form = ChildCorrectionForm(
                    request.POST, instance=item.child, prefix="child"
                )
                if not form.is_valid():
                    raise DomainError(_("Check the fields marked below."))
                services.request_correct(
                    request=item, user=request.user, form=form, what=_("child")
                )
                messages.success(request, _("The correction has been saved."))
            elif correcting and item.child_id and action == "correct_entry":
                forms["entry_form"] = form = EntryCorrectionForm(
                    request.POST, entries=entries, prefix="entry"
                )
                if not form.is_valid():
                    raise DomainError(_("Choose the entry and write the corrected text."))
                services.request_correct_entry(
                    request=item,
                    user=request.user,
                    entry=form.entries[form.cleaned_data["entry"]],
                    text=form.cleaned_data["text"],
                )
                messages.success(
                    request, _("The diary entry has been corrected and its author told.")
                )
            else:
                raise DomainError(_("Choose an action."))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("retention_staff:request", code=item.code)
    guardians = []
    if item.child_id:
        guardians = Guardianship.objects.filter(child_id=item.child_id).select_related("user")
    return render(
        request,
        "retention/staff/request_detail.html",
        {
            "item": item,
            "events": item.events.select_related("actor"),
            "guardians": guardians,
            "today": timezone.localdate(),
            "correcting": correcting,
            "erasing": erasing,
            **forms,
        },
    )


def _partial_erasure_form(item, data=None):
    """R20: what can be erased in part from this request (photos and diary entries only for a
    request about a child; the requester's messages, about that child only if so)."""
    from messaging.models import Message

    entries = []
    messages_written = Message.objects.filter(author_id=item.requested_by_id)
    if item.about_child:
        messages_written = messages_written.filter(conversation__child_id=item.child_id)
        if item.child_id:
            entries = list(
                DiaryEntry.objects.filter(day__child_id=item.child_id)
                .select_related("day", "author")
                .order_by("-day__date", "-pk")[:50]
            )
    return PartialErasureForm(
        data,
        request=item,
        entries=entries,
        messages=messages_written.count(),
        prefix="part",
    )


def download(request, code):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    from retention.views import download as parent_download

    return parent_download(request, code)
