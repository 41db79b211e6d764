"""Customer service pages: the archive (R17) and the data request queue (R20).

Only customer service (the privacy officer) reaches them; every other staff member gets 404.
Each action on a request or an archived child is a POST view of its own; a service's
``DomainError`` is shown to the person and they are sent back to the page.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm
from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from audit.models import AccessKind
from audit.selectors import events_since_archived
from audit.services import access_log
from core.errors import DomainError
from daycare.access import is_customer_service
from daycare.models import Guardianship
from diary.models import DiaryEntry
from messaging.models import Message
from retention import schedule, services
from retention import views as parent_views
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
from retention.models import DataRequest, Export
from retention.selectors import (
    WARN_DAYS,
    archived_children,
    get_archived_child_for,
    get_request_for_service,
    requests_for_service,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from accounts.typing import UserRequest


@reauthentication_required  # type: ignore[untyped-decorator]  # allauth has no type information
def _require_fresh_login(request: "UserRequest") -> None:
    """Data leaves or goes for good: allauth asks for the password or a code again first (R23),
    then resumes the request that was interrupted."""


def _service_only(request: "UserRequest") -> None:
    if not is_customer_service(request.user):
        raise Http404


# The archive (R17)


@require_GET
def archive(request: "UserRequest") -> HttpResponse:
    _service_only(request)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL
    children: QuerySet[Any] = archived_children(request.user).select_related("group__location")
    if query:
        children = children.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    today = timezone.localdate()
    children = with_end_dates(children, today).order_by("last_name", "first_name", "pk")
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    rows = [(child, child.last_end and schedule.destroy_on(child.last_end)) for child in page]
    return render(
        request, "retention/staff/archive.html", {"page": page, "rows": rows, "query": query}
    )


@require_GET
def archive_child(request: "UserRequest", code: str) -> HttpResponse:
    child = get_archived_child_for(request.user, code)
    access_log(user=request.user, child=child, kind=AccessKind.ARCHIVE_OPENED)
    end = with_end_dates(type(child).objects.filter(pk=child.pk), timezone.localdate()).first()
    assert end is not None  # the child itself
    return render(
        request,
        "retention/staff/archive_child.html",
        {
            "child": child,
            "record": child_record(child),
            "destroy_on": end.last_end and schedule.destroy_on(end.last_end),
            "exports": Export.objects.filter(child=child, requested_by=request.user),
            # Who opened or exported the child since it was archived: the access log (R24).
            "accesses": events_since_archived(child)[:20],
        },
    )


@require_POST
def archive_export(request: "UserRequest", code: str) -> HttpResponse:
    child = get_archived_child_for(request.user, code)
    _require_fresh_login(request)
    services.export_request(requested_by=request.user, child=child, view_as=request.user)
    messages.success(request, _("The export is being prepared; it appears below."))
    return redirect("retention_staff:archive_child", code=child.code)


@require_GET
def download(request: "UserRequest", code: str) -> HttpResponseBase:
    return parent_views.download(request, code)


# The data request queue (R20)


@require_GET
def requests(request: "UserRequest") -> HttpResponse:
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


@require_GET
def request_detail(request: "UserRequest", code: str) -> HttpResponse:
    return _detail(request, get_request_for_service(request.user, code))


def _detail(request: "UserRequest", item: DataRequest, **bound: BaseForm) -> HttpResponse:
    """The request page with the forms its kind offers; an action whose form was not valid
    passes it ``bound`` so its errors show."""
    forms: dict[str, BaseForm] = {
        "note": NoteForm(prefix="note"),
        "outcome": OutcomeForm(prefix="outcome"),
        "erase": ErasureForm(prefix="erase"),
    }
    erasing = item.is_open and item.kind == DataRequest.Kind.ERASURE
    if erasing and "part_form" not in bound:
        forms["part_form"] = _partial_erasure_form(item)
    correcting = item.is_open and item.kind == DataRequest.Kind.CORRECTION
    if correcting:
        forms["parent_form"] = ParentCorrectionForm(instance=item.requested_by, prefix="parent")
        if item.child_id:
            forms["child_form"] = ChildCorrectionForm(instance=item.child, prefix="child")
            if "entry_form" not in bound:
                forms["entry_form"] = _entry_form(item)
    forms.update(bound)
    guardians: Iterable[Guardianship] = []
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


def _invalid(
    request: "UserRequest", item: DataRequest, message: str, **bound: BaseForm
) -> HttpResponse:
    messages.error(request, message)
    return _detail(request, item, **bound)


def _back(request: "UserRequest", item: DataRequest) -> HttpResponse:
    return redirect("retention_staff:request", code=item.code)


def _apply(
    request: "UserRequest",
    item: DataRequest,
    service: Callable[..., object],
    success: "StrOrPromise",
    **kwargs: Any,
) -> HttpResponse:
    """Run one service on the request; a refusal (``DomainError``) is shown, not handled."""
    try:
        service(request=item, user=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back(request, item)


@require_POST
def request_take(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    return _apply(request, item, services.request_take, _("You handle this request now."))


@require_POST
def request_note(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _invalid(request, item, pgettext("data request", "Write a note first."), note=form)
    return _apply(
        request,
        item,
        services.request_note,
        _("The note has been saved."),
        note=form.cleaned_data["note"],
    )


@require_POST
def request_export(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    _require_fresh_login(request)
    return _apply(
        request,
        item,
        services.request_answer_access,
        _("The export is being prepared for the parent."),
    )


@require_POST
def request_close(request: "UserRequest", code: str) -> HttpResponse:
    return _close(request, code, refused=False)


@require_POST
def request_refuse(request: "UserRequest", code: str) -> HttpResponse:
    return _close(request, code, refused=True)


def _close(request: "UserRequest", code: str, *, refused: bool) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    form = OutcomeForm(request.POST, prefix="outcome")
    if not form.is_valid():
        message = _("Write the outcome for the parent; they will read it.")
        return _invalid(request, item, message, outcome=form)
    return _apply(
        request,
        item,
        services.request_close,
        _("The request has been closed."),
        outcome=form.cleaned_data["outcome"],
        refused=refused,
    )


@require_POST
def request_erase(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    _require_fresh_login(request)
    form = ErasureForm(request.POST, prefix="erase")
    if not form.is_valid():
        return _invalid(request, item, _("Confirm the erasure first."), erase=form)
    try:
        done = services.request_erase(
            request=item, user=request.user, legal_duty=form.cleaned_data["legal_duty"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, item)
    if done.status == DataRequest.Status.REFUSED:
        messages.warning(request, done.outcome)
    else:
        messages.success(request, _("The data has been erased."))
    return _back(request, item)


@require_POST
def request_erase_part(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    _require_fresh_login(request)
    form = _partial_erasure_form(item, request.POST)
    if not form.is_valid():
        message = _("Choose what to erase and confirm it.")
        return _invalid(request, item, message, part_form=form)
    part, entry_id = form.chosen()
    return _apply(
        request,
        item,
        services.request_erase_part,
        _("That part of the data has been erased."),
        part=part,
        entry_id=entry_id,
    )


def _correct(
    request: "UserRequest", item: DataRequest, form: BaseForm, *, what: str, form_name: str
) -> HttpResponse:
    """Save the correction of the parent's or the child's fields, or show ``form`` (passed to
    the page as ``form_name``) with what is wrong."""
    if not form.is_valid():
        return _invalid(request, item, _("Check the fields marked below."), **{form_name: form})
    return _apply(
        request,
        item,
        services.request_correct,
        _("The correction has been saved."),
        form=form,
        what=what,
    )


@require_POST
def request_correct_parent(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    form = ParentCorrectionForm(request.POST, instance=item.requested_by, prefix="parent")
    return _correct(request, item, form, what=_("parent"), form_name="parent_form")


@require_POST
def request_correct_child(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    if item.child is None:  # about the parent, or the child is gone: no form to post
        raise Http404
    form = ChildCorrectionForm(request.POST, instance=item.child, prefix="child")
    return _correct(request, item, form, what=_("child"), form_name="child_form")


@require_POST
def request_correct_entry(request: "UserRequest", code: str) -> HttpResponse:
    item = get_request_for_service(request.user, code)
    if item.child is None:
        raise Http404
    form = _entry_form(item, request.POST)
    if not form.is_valid():
        message = _("Choose the entry and write the corrected text.")
        return _invalid(request, item, message, entry_form=form)
    return _apply(
        request,
        item,
        services.request_correct_entry,
        _("The diary entry has been corrected and its author told."),
        entry=form.entries[form.cleaned_data["entry"]],
        text=form.cleaned_data["text"],
    )


def _recent_entries(child_id: int | None) -> list[DiaryEntry]:
    return list(
        # None (no child) finds nothing, as Django's exact lookup allows.
        DiaryEntry.objects.filter(day__child_id=child_id)  # type: ignore[misc]
        .select_related("day", "author")
        .order_by("-day__date", "-pk")[:50]
    )


def _entry_form(item: DataRequest, data: QueryDict | None = None) -> EntryCorrectionForm:
    return EntryCorrectionForm(data, entries=_recent_entries(item.child_id), prefix="entry")


def _partial_erasure_form(item: DataRequest, data: QueryDict | None = None) -> PartialErasureForm:
    """R20: what can be erased in part from this request (photos and diary entries only for a
    request about a child; the requester's messages, about that child only if so)."""

    entries = []
    messages_written = Message.objects.filter(author_id=item.requested_by_id)
    if item.about_child:
        # None (the child is gone) finds nothing, as Django's exact lookup allows.
        messages_written = messages_written.filter(conversation__child_id=item.child_id)  # type: ignore[misc]
        if item.child_id:
            entries = _recent_entries(item.child_id)
    return PartialErasureForm(
        data,
        request=item,
        entries=entries,
        messages=messages_written.count(),
        prefix="part",
    )
