"""What messaging gives the retention schedule (retention/contract.py, R16-R21)."""

from django.db.models import Max

from core.private_apis import delete_rows
from files.services import files_queue_deletion
from messaging.models import (
    Attachment,
    Conversation,
    Message,
    NotificationPreference,
    PendingNotification,
    ReadMark,
)


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    """Delete the conversations of these children with their messages, read marks and
    attachments, and queue the attachments' files for deletion. Idempotent."""
    attachments = Attachment.objects.filter(message__conversation__child_id__in=child_ids)
    keys = list(attachments.values_list("storage_key", flat=True))
    n_attachments = delete_rows(attachments)
    files_queue_deletion(keys=keys)
    messages = Message.objects.filter(conversation__child_id__in=child_ids)
    n_messages = delete_rows(messages)
    marks = ReadMark.objects.filter(conversation__child_id__in=child_ids)
    delete_rows(marks)
    n_conversations = delete_rows(Conversation.objects.filter(child_id__in=child_ids))
    return {
        "conversations": n_conversations,
        "messages": n_messages,
        "message attachments": n_attachments,
    }


def export_child(*, child, user, writer) -> None:
    """The conversations about ``child`` as JSON, with the attachments' files. Retracted
    messages keep only their marker."""
    conversations = list(
        Conversation.objects.filter(child=child)
        .order_by("created_at")
        .prefetch_related("messages__author", "messages__attachments")
    )
    data = []
    for number, conversation in enumerate(conversations, start=1):
        items = []
        for message in conversation.messages.all():
            files = []
            if message.retracted_at is None:
                for index, attachment in enumerate(message.attachments.all(), start=1):
                    ext = attachment.storage_key.rsplit(".", 1)[-1]
                    path = f"messages/{number:04d}/{message.created_at:%Y%m%d-%H%M%S}-{index}.{ext}"
                    writer.add_file(path, attachment.storage_key)
                    files.append({"file": path, "name": attachment.filename})
            items.append(
                {
                    "sent_at": message.created_at.isoformat(),
                    "side": message.side,
                    "author": (
                        f"{message.author.first_name} {message.author.last_name}".strip()
                        if message.author
                        else None
                    ),
                    "text": None if message.retracted_at else message.body,
                    "retracted_at": message.retracted_at.isoformat()
                    if message.retracted_at
                    else None,
                    "attachments": files,
                }
            )
        data.append(
            {
                "subject": conversation.subject,
                "started_at": conversation.created_at.isoformat(),
                "messages": items,
            }
        )
    writer.add_json("messages/conversations.json", data)


def export_person(*, person, children) -> dict:
    """R21: every message the person wrote, with its conversation's subject and child, and the
    names of its attachments (the files themselves are in the child's export). A retracted
    message keeps only its marker, as in the conversation."""
    messages = (
        Message.objects.filter(author=person)
        .select_related("conversation")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    preference = (
        NotificationPreference.objects.filter(user=person)
        .values_list("email_on_new_message", flat=True)
        .first()
    )
    return {
        "messages": [
            {
                "conversation_subject": message.conversation.subject,
                "child": children.get(message.conversation.child_id),
                "sent_at": message.created_at,
                "text": None if message.retracted_at else message.body,
                "retracted_at": message.retracted_at,
                "attachments": (
                    []
                    if message.retracted_at
                    else [attachment.filename for attachment in message.attachments.all()]
                ),
            }
            for message in messages
        ],
        # Without a row of its own the e-mail is on (messaging/models.py).
        "email_on_new_message": preference is None or preference,
    }


def erase_messages_by(*, author_id: int, child_id: int | None = None) -> dict[str, int]:
    """Partial erasure on request (R20): delete the messages ``author_id`` wrote (only those
    about ``child_id`` when given) with their attachments, queueing the files for deletion in
    the caller's transaction, as ``destroy_children`` does. A conversation left without any
    message goes too (with its read marks); one that keeps messages of others stays, its
    latest moment taken from what is left. Idempotent."""
    messages = Message.objects.filter(author_id=author_id)
    if child_id is not None:
        messages = messages.filter(conversation__child_id=child_id)
    conversation_ids = list(messages.values_list("conversation_id", flat=True).distinct())
    attachments = Attachment.objects.filter(message__in=messages)
    keys = list(attachments.values_list("storage_key", flat=True))
    n_attachments = delete_rows(attachments)
    files_queue_deletion(keys=keys)
    n_messages = delete_rows(messages)
    empty = Conversation.objects.filter(pk__in=conversation_ids, messages__isnull=True)
    empty_ids = list(empty.values_list("pk", flat=True))
    marks = ReadMark.objects.filter(conversation_id__in=empty_ids)
    delete_rows(marks)
    gone = Conversation.objects.filter(pk__in=empty_ids)
    n_conversations = delete_rows(gone)
    for conversation in Conversation.objects.filter(pk__in=conversation_ids).annotate(
        latest=Max("messages__created_at")
    ):
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=conversation.latest)
    return {
        "conversations": n_conversations,
        "messages": n_messages,
        "message attachments": n_attachments,
    }


def erase_accounts(user_ids: list[int]) -> None:
    """An erased guardian's choice of e-mails and any e-mail still owed to them go with the
    account (R18); their messages and read marks were about their children and went with them
    (``destroy_children``)."""
    NotificationPreference.objects.filter(user_id__in=user_ids).delete()
    PendingNotification.objects.filter(user_id__in=user_ids).delete()
