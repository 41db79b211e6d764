"""Writes of messaging (R12): start, reply, read, retract, notify.

Messages are never edited. A sender may retract a message within ``RETRACT_WINDOW``; the text
and attachments are then removed and a "retracted" marker stays in the conversation.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.mail import send_portal_mail
from core.errors import DomainError
from daycare.models import Child
from files.services import files_queue_deletion
from files.uploads import CleanUpload, UploadRejected, clean_upload, stored_uploads, upload_name
from messaging.models import (
    Attachment,
    Conversation,
    Message,
    NotificationPreference,
    PendingNotification,
    ReadMark,
    Side,
)
from messaging.selectors import recipients, unread_total_for_parent, unread_total_for_staff
from push.services import push_announce

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

RETRACT_WINDOW = timedelta(minutes=5)
RATE_LIMIT = 20  # messages per person ...
RATE_WINDOW_SECONDS = 10 * 60  # ... per ten minutes
# Messages within this time share one e-mail (MESSAGING_NOTIFY_DELAY_SECONDS, default 5 minutes).
NOTIFY_DELAY = timedelta(seconds=settings.MESSAGING_NOTIFY_DELAY_SECONDS)
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_BODY = 5000


def clean_attachment(uploaded: "UploadedFile[Any]") -> CleanUpload:
    """An image (re-encoded, no EXIF) or a PDF, recognised by content, never by name or type
    header; raises ``UploadRejected`` with a message a person can act on."""
    try:
        return clean_upload(uploaded, max_bytes=MAX_ATTACHMENT_BYTES, max_side=3000)
    except UploadRejected as error:
        name = upload_name(uploaded)
        if error.code == "unsupported":
            raise UploadRejected(
                _("%(name)s is not a photo or PDF we can read. Use JPEG, PNG, HEIC or PDF.")
                % {"name": name},
                code=error.code,
            ) from None
        raise error.for_file(name) from None


def _rate_key(user: "User") -> str:
    """A counter per person per fixed ten-minute window (atomic ``incr`` in Redis)."""
    window = int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS
    return f"messaging:sent:{user.pk}:{window}"


def _check_rate(user: "User") -> None:
    if (cache.get(_rate_key(user)) or 0) >= RATE_LIMIT:
        raise DomainError(
            ngettext(
                "You have sent many messages in a short time. Wait %(n)d minute and try again.",
                "You have sent many messages in a short time. Wait %(n)d minutes and try again.",
                RATE_WINDOW_SECONDS // 60,
            )
            % {"n": RATE_WINDOW_SECONDS // 60}
        )


def _count_sent(user: "User") -> None:
    key = _rate_key(user)
    cache.add(key, 0, RATE_WINDOW_SECONDS + 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS + 60)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message before sending."))
    if len(body) > MAX_BODY:
        raise DomainError(
            _("The message is too long (at most %(n)d characters).") % {"n": MAX_BODY}
        )
    return body


def _post(
    *,
    conversation: Conversation,
    author: "User",
    side: str,
    body: str,
    stored: list[tuple[str, CleanUpload]],
    now: datetime,
) -> Message:
    message = Message.objects.create(
        conversation=conversation, author=author, side=side, body=body, created_at=now
    )
    if stored:
        Attachment.objects.bulk_create(
            [
                Attachment(
                    message=message,
                    storage_key=key,
                    content_type=f.content_type,
                    filename=f.filename,
                    size=len(f.data),
                )
                for key, f in stored
            ]
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now, awaiting_staff_reply=(side == Side.PARENT)
    )
    conversation.last_message_at = now
    conversation.awaiting_staff_reply = side == Side.PARENT
    ReadMark.objects.update_or_create(
        conversation=conversation, user=author, defaults={"side": side, "last_read_at": now}
    )
    _queue_notifications(conversation=conversation, author=author, side=side, now=now)

    push_announce(
        kind="messages",
        key=f"message:{message.pk}",
        child_ids=[conversation.child_id],
        ref=str(message.pk),
        exclude_user_id=author.pk,
    )
    return message


def _check_files(files: Sequence[CleanUpload]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)d files to one message.") % {"n": MAX_ATTACHMENTS})


def messaging_start(
    *,
    child: Child,
    author: "User",
    side: str,
    subject: str,
    body: str,
    files: Sequence[CleanUpload] = (),
) -> Conversation:
    """Start a conversation about ``child``. The caller has checked that ``author`` takes part
    (a guardian, or staff of the child's group)."""
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Give the conversation a subject."))
    message = _send(
        lambda now: Conversation.objects.create(
            child=child, subject=subject[:150], started_by=author, last_message_at=now
        ),
        author=author,
        side=side,
        body=body,
        files=files,
    )
    return message.conversation


def messaging_reply(
    *,
    conversation: Conversation,
    author: "User",
    side: str,
    body: str,
    files: Sequence[CleanUpload] = (),
) -> Message:
    def locked(now: datetime) -> Conversation:
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        return conversation

    return _send(locked, author=author, side=side, body=body, files=files)


def _send(
    conversation_for: "Callable[[datetime], Conversation]",
    *,
    author: "User",
    side: str,
    body: str,
    files: Sequence[CleanUpload],
) -> Message:
    """Check and post one message with its files. ``conversation_for(now)`` gives the
    conversation (new, or locked) inside the transaction that stores the files."""
    body = _clean_body(body)
    files = list(files)
    _check_files(files)
    _check_rate(author)
    now = timezone.now()
    with stored_uploads(files, prefix="messaging") as keys:
        message = _post(
            conversation=conversation_for(now),
            author=author,
            side=side,
            body=body,
            stored=list(zip(keys, files, strict=True)),
            now=now,
        )
    _count_sent(author)
    return message


def messaging_mark_read(*, conversation: Conversation, user: "User", side: str) -> None:
    """Everything up to the newest message is read by ``user`` (never moves backwards)."""
    mark, created = ReadMark.objects.get_or_create(
        conversation=conversation,
        user=user,
        defaults={"side": side, "last_read_at": conversation.last_message_at},
    )
    if not created and mark.last_read_at < conversation.last_message_at:
        ReadMark.objects.filter(pk=mark.pk).update(last_read_at=conversation.last_message_at)


def messaging_retract(*, message: Message, user: "User") -> None:
    """Retract one's own message within ``RETRACT_WINDOW`` (5 minutes, the boundary included).
    The text and attachments are removed; a marker stays visible."""
    if message.author_id != user.pk:
        raise DomainError(_("You can only retract your own messages."))
    if message.retracted_at is not None:
        raise DomainError(_("This message has already been retracted."))
    now = timezone.now()
    if now - message.created_at > RETRACT_WINDOW:
        raise DomainError(_("A message can only be retracted within 5 minutes of sending."))
    with transaction.atomic():
        keys = list(message.attachments.values_list("storage_key", flat=True))
        message.attachments.all().delete()
        files_queue_deletion(keys=keys)
        Message.objects.filter(pk=message.pk).update(retracted_at=now, body="")
        last = (
            Message.objects.filter(
                conversation_id=message.conversation_id, retracted_at__isnull=True
            )
            .order_by("-created_at", "-pk")
            .values_list("side", flat=True)
            .first()
        )
        Conversation.objects.filter(pk=message.conversation_id).update(
            awaiting_staff_reply=(last == Side.PARENT)
        )
    message.retracted_at = now
    message.body = ""


# --- e-mail notifications -------------------------------------------------------------------


def wants_email(user: "User") -> bool:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref is None or pref.email_on_new_message


def messaging_set_preference(*, user: "User", email_on_new_message: bool) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_on_new_message": email_on_new_message}
    )


def _queue_notifications(
    *, conversation: Conversation, author: "User", side: str, now: datetime
) -> None:
    """Owe each other participant one e-mail, due ``NOTIFY_DELAY`` after the first message they
    have not been told about; later messages before then join that e-mail. A staff message is
    news for the family only, not for the colleagues."""

    users = (
        recipients(conversation)
        .exclude(pk=author.pk)
        .exclude(messaging_preference__email_on_new_message=False)
    )
    if side == Side.STAFF:
        users = users.filter(is_guardian=True)
    rows = [
        PendingNotification(
            user=u, side=Side.PARENT if u.is_guardian else Side.STAFF, due_at=now + NOTIFY_DELAY
        )
        for u in users
    ]
    PendingNotification.objects.bulk_create(rows, ignore_conflicts=True)


def messaging_send_due_notifications(*, now: datetime | None = None) -> int:
    """Send the e-mails that are due: one per person, a link and no message text. A person who
    has read everything in the meantime or turned e-mail off gets none. Returns e-mails sent."""
    from django.conf import settings
    from django.urls import reverse

    now = now or timezone.now()
    sent = 0
    due = list(PendingNotification.objects.filter(due_at__lte=now).select_related("user")[:500])
    for row in due:
        with transaction.atomic():
            deleted, _count = PendingNotification.objects.filter(pk=row.pk).delete()
            if not deleted:
                continue  # another worker took it
            user = row.user
            staff = row.side == Side.STAFF
            if not user.is_active or not wants_email(user):
                continue
            unread = unread_total_for_staff(user) if staff else unread_total_for_parent(user)
            if not unread:
                continue
            path = reverse("messaging_staff:index" if staff else "messaging:index")
            send_portal_mail(
                to=[user.email],
                template="messaging/email/new_messages",
                context={"url": settings.SITE_URL + path, "unread": unread, "user": user},
            )
            sent += 1
    return sent
