"""Writes of the retention app: exports (R16, R21) and data requests (R20)."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.mail import send_portal_mail
from accounts.models import User
from audit.models import AccessKind
from audit.services import access_log
from core.errors import DomainError
from daycare.access import is_customer_service
from daycare.models import CareContract, Child, Guardianship
from daycare.services import guardianships_erase
from diary import retention as diary_retention
from diary.models import DiaryEntry
from messaging import retention as messaging_retention
from outbox.services import enqueue
from photos import retention as photos_retention
from push.services import push_announce
from retention import engine
from retention.models import (
    DESTRUCTION_KINDS,
    REQUEST_DAYS,
    DataRequest,
    DestructionRecord,
    Export,
    RequestEvent,
)
from retention.tasks import build_export_task, send_erasure_done_task

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from django.forms import BaseForm, ModelForm

    from diary.models import DiaryEntry


def export_request(
    *,
    requested_by: User,
    child: Child | None = None,
    person: User | None = None,
    view_as: User | None = None,
    since_last: bool = False,
) -> Export:
    """Ask for a ZIP of one child (or of one person's own data); a task builds it.

    The caller has checked access. An export that is still being prepared is reused. With
    ``since_last`` the photos are only those added since this person's previous download of
    the child (memories); without a previous one it is everything.
    """
    if (child is None) == (person is None):
        raise DomainError(_("Choose what to export."))
    pending = Export.objects.filter(
        requested_by=requested_by,
        child=child,
        person=person,
        status=Export.Status.PENDING,
        created_at__gte=timezone.now() - timedelta(hours=1),  # a crashed build does not block
    ).first()
    if pending is not None:
        return pending
    since = None
    if since_last and child is not None:
        since = previous_download(requested_by, child)
    with transaction.atomic():
        export = Export.objects.create(
            requested_by=requested_by, child=child, person=person, view_as=view_as, since=since
        )

        enqueue(build_export_task, export.pk)
        # R24: who had the child's data put together (customer service for an access request).
        access_log(user=view_as or requested_by, child=child, kind=AccessKind.EXPORT_CREATED)
    return export


def previous_download(user: User, child: Child) -> "datetime | None":
    """When this person's latest finished download of the child was asked for, or None."""
    return (
        Export.objects.filter(requested_by=user, child=child, status=Export.Status.READY)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


Action = RequestEvent.Action


def _record(
    request: DataRequest, actor: User | None, action: RequestEvent.Action, note: str = ""
) -> None:
    RequestEvent.objects.create(request=request, actor=actor, action=action, note=note)


def request_file(*, user: User, kind: str, child: Child | None, explanation: str) -> DataRequest:
    """A parent files a request about themselves (child None) or one of their children."""
    if kind not in DataRequest.Kind.values:
        raise DomainError(_("Choose what you are asking for."))
    explanation = explanation.strip()
    if not explanation and kind != DataRequest.Kind.ACCESS:
        raise DomainError(_("Explain your request in a few words."))
    if child is not None and not Guardianship.objects.filter(user=user, child=child).exists():
        raise DomainError(_("You can only file a request about your own children."))
    now = timezone.now()
    with transaction.atomic():
        request = DataRequest.objects.create(
            requested_by=user,
            kind=kind,
            child=child,
            about_child=child is not None,
            explanation=explanation,
            received_at=now,
            deadline=timezone.localdate(now) + timedelta(days=REQUEST_DAYS),
        )
        _record(request, user, Action.RECEIVED)
    return request


def _locked(request: DataRequest) -> DataRequest:
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise DomainError(_("This request has already been closed."))
    return locked


def _require_service(user: User) -> None:
    if not is_customer_service(user):
        raise DomainError(_("Only customer service handles data requests."))


def request_take(*, request: DataRequest, user: User) -> DataRequest:
    _require_service(user)
    with transaction.atomic():
        request = _locked(request)
        request.handler = user
        request.status = DataRequest.Status.IN_PROGRESS
        request.save(update_fields=["handler", "status"])
        _record(request, user, Action.TAKEN)
    return request


def request_note(*, request: DataRequest, user: User, note: str) -> None:
    _require_service(user)
    note = note.strip()
    if not note:
        raise DomainError(pgettext("data request", "Write a note first."))
    with transaction.atomic():
        _record(_locked(request), user, Action.NOTE, note)


def request_close(
    *, request: DataRequest, user: User, outcome: str, refused: bool = False
) -> DataRequest:
    """Close with an outcome the parent reads (done, or refused with the reason)."""
    _require_service(user)
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Write the outcome for the parent; they will read it."))
    with transaction.atomic():
        request = _locked(request)
        request.status = DataRequest.Status.REFUSED if refused else DataRequest.Status.DONE
        request.outcome = outcome
        request.closed_at = timezone.now()
        request.handler = request.handler or user
        request.save(update_fields=["status", "outcome", "closed_at", "handler"])
        _record(request, user, Action.REFUSED if refused else Action.DONE, outcome)

        push_announce(
            kind="requests",
            key=f"request:{request.pk}:closed",
            user_ids=[request.requested_by_id],
            ref=str(request.pk),
        )
    return request


def request_answer_access(*, request: DataRequest, user: User) -> Export:
    """Access (R21): the complete export of the person, readable (PDF) and machine-readable
    (JSON), prepared for the parent to download from their page."""
    _require_service(user)
    if request.kind != DataRequest.Kind.ACCESS:
        raise DomainError(_("Only an access request is answered with an export."))
    with transaction.atomic():
        request = _locked(request)
        if request.about_child and request.child is None:
            raise DomainError(_("This child's data no longer exists."))
        export = export_request(
            requested_by=request.requested_by,
            child=request.child if request.about_child else None,
            person=None if request.about_child else request.requested_by,
            view_as=user,
        )
        request.export = export
        request.handler = request.handler or user
        request.status = DataRequest.Status.IN_PROGRESS
        request.save(update_fields=["export", "handler", "status"])
        _record(request, user, Action.EXPORT_STARTED)
    return export


def running_contract(child_ids: "Iterable[int]") -> bool:
    today = timezone.localdate()
    return (
        CareContract.objects.filter(child_id__in=child_ids).filter(end_date__isnull=True).exists()
        or CareContract.objects.filter(child_id__in=child_ids, end_date__gte=today).exists()
    )


def request_erase(
    *, request: DataRequest, user: User, legal_duty: str = "", outcome: str = ""
) -> DataRequest:
    """Erasure (R20) runs the destruction path now: for the child, or for the parent (their
    children of whom they are the only guardian, their other guardianships, their account).

    Refused, with the reason recorded and shown to the parent, while a contract runs or when
    customer service names a legal duty to keep the data.
    """
    _require_service(user)
    if request.kind != DataRequest.Kind.ERASURE:
        raise DomainError(_("Only an erasure request erases data."))
    legal_duty = legal_duty.strip()
    with transaction.atomic():
        request = _locked(request)
        if request.about_child:
            if request.child is None:
                raise DomainError(_("This child's data no longer exists."))
            child_ids: list[int] = [request.child.pk]
        else:
            child_ids = list(
                Guardianship.objects.filter(user=request.requested_by).values_list(
                    "child_id", flat=True
                )
            )
        reason = ""
        if legal_duty:
            reason = _("We must keep the data for now: %(reason)s") % {"reason": legal_duty}
        elif running_contract(child_ids):
            reason = _(
                "A care contract is still running; we need the data to provide care. You can "
                "ask again after the contract has ended."
            )
        if reason:
            request.status = DataRequest.Status.REFUSED
            request.outcome = reason
            request.closed_at = timezone.now()
            request.handler = request.handler or user
            request.save(update_fields=["status", "outcome", "closed_at", "handler"])
            _record(request, user, Action.REFUSED, reason)
            return request
        requester = request.requested_by
        address = requester.email  # erasing the account takes it away
        today = timezone.localdate()
        if request.about_child:
            counts = engine.destroy_children(child_ids, run_date=today, reason="erasure request")
        else:
            sole = [
                child_id
                for child_id in child_ids
                if not Guardianship.objects.filter(child_id=child_id)
                .exclude(user=requester)
                .exists()
            ]
            counts = engine.destroy_children(sole, run_date=today, reason="erasure request")
            guardianships_erase(user=requester)
            counts["accounts erased"] = counts.get("accounts erased", 0) + engine.erase_accounts(
                [requester.pk]
            )
        request.refresh_from_db()
        summary = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
        request.status = DataRequest.Status.DONE
        request.outcome = outcome.strip() or _("The data has been erased.")
        request.closed_at = timezone.now()
        request.handler = request.handler or user
        request.save(update_fields=["status", "outcome", "closed_at", "handler"])
        _record(request, user, Action.ERASED, summary)
        requester.refresh_from_db()
        if not requester.is_active:
            # The account is gone with the data, so the outcome page is out of reach.

            enqueue(send_erasure_done_task, address)
    return request


class ErasePart:
    """What a partial erasure removes (R20): a child's photos, one diary entry, or the
    parent's messages."""

    PHOTOS = "photos"
    ENTRY = "entry"
    MESSAGES = "messages"


def request_erase_part(
    *, request: DataRequest, user: User, part: str, entry_id: int | None = None
) -> dict[str, int]:
    """Partial erasure (R20): remove part of the data from an erasure request through the
    feature apps' retention modules, in one transaction, files queued for deletion in it (the
    crash-safe path of the schedule). A ``DestructionRecord`` ("partial erasure") and the
    request's history keep the kinds and counts; the request stays open for its outcome.
    Photos of a child go where only that child is tagged; a group photo keeps the others."""

    _require_service(user)
    if request.kind != DataRequest.Kind.ERASURE:
        raise DomainError(_("Only an erasure request erases data."))
    with transaction.atomic():
        request = _locked(request)
        if not request.is_open:
            raise DomainError(_("This request is closed."))
        child_id = request.child_id if request.about_child else None
        if part in (ErasePart.PHOTOS, ErasePart.ENTRY) and child_id is None:
            raise DomainError(_("Only a request about a child erases its photos or diary."))
        if part == ErasePart.PHOTOS:
            assert child_id is not None  # checked above
            counts = photos_retention.destroy_children([child_id])
        elif part == ErasePart.ENTRY and entry_id is not None:
            assert child_id is not None  # checked above
            counts = diary_retention.erase_entries(child_id=child_id, entry_ids=[entry_id])
        elif part == ErasePart.MESSAGES:
            counts = messaging_retention.erase_messages_by(
                author_id=request.requested_by_id, child_id=child_id
            )
        else:
            raise DomainError(_("Choose what to erase."))
        counts = {kind: n for kind, n in counts.items() if n}
        if not counts:
            raise DomainError(_("There was nothing of this kind left to erase."))
        DestructionRecord.objects.create(
            run_date=timezone.localdate(),
            reason="partial erasure",
            children=0,
            counts=dict(sorted(counts.items())),
        )
        request.handler = request.handler or user
        request.status = DataRequest.Status.IN_PROGRESS
        request.save(update_fields=["handler", "status"])
        _record(request, user, Action.PARTLY_ERASED, _counts_text(counts))
    return counts


def _counts_text(counts: dict[str, int]) -> str:

    return ", ".join(
        f"{DESTRUCTION_KINDS.get(kind, kind)}: {n}" for kind, n in sorted(counts.items())
    )


def _changed_labels(form: "BaseForm") -> str:
    return ", ".join(str(form.fields[name].label).lower() for name in form.changed_data)


def request_correct(
    *, request: DataRequest, user: User, form: "ModelForm[Any]", what: str
) -> list[str]:
    """R20: customer service corrects data in scope of a correction request through a form of
    its own (parent details, child details); the request records which fields changed (field
    names only, not the values). ``form`` is a bound, valid ModelForm."""
    _require_service(user)
    if request.kind != DataRequest.Kind.CORRECTION:
        raise DomainError(_("Only a correction request corrects data."))
    changed = list(form.changed_data)
    if not changed:
        raise DomainError(_("Nothing was changed."))
    with transaction.atomic():
        request = _locked(request)
        form.save()
        _record(request, user, Action.CORRECTED, f"{what}: {_changed_labels(form)}")
    return changed


def request_correct_entry(
    *, request: DataRequest, user: User, entry: "DiaryEntry", text: str
) -> None:
    """R20: correct the text of one diary entry of the child the request is about. The entry
    is marked edited (parents see it) and its author gets an e-mail without the content."""

    _require_service(user)
    if request.kind != DataRequest.Kind.CORRECTION or not request.child_id:
        raise DomainError(_("Only a correction request about a child corrects its diary."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write the corrected text."))
    with transaction.atomic():
        request = _locked(request)
        entry = DiaryEntry.objects.select_for_update().get(
            pk=entry.pk,
            day__child_id=request.child_id,  # type: ignore[misc]  # checked above: not None
        )
        if entry.text == text:
            raise DomainError(_("Nothing was changed."))
        entry.text, entry.edited_at = text, timezone.now()
        entry.save(update_fields=["text", "edited_at"])
        _record(
            request,
            user,
            Action.CORRECTED,
            _("diary entry of %(date)s") % {"date": formats.date_format(entry.day.date, "j F Y")},
        )
        if entry.author and entry.author.email:
            author_email = entry.author.email
            transaction.on_commit(lambda: _tell_author(author_email, entry.day.date))


def _tell_author(email: str, day: date) -> None:
    from django.conf import settings
    from django.urls import reverse

    send_portal_mail(
        to=[email],
        template="retention/email/entry_corrected",
        context={"day": day, "url": settings.SITE_URL + reverse("staff:home")},
    )
