"""Conversations between a child's family and the staff of the child's group (R12).

A conversation belongs to a child. Its group is the child's *current* group, so when a child
moves, its conversations move along. Participants are computed, never stored: the guardians of
the child (parent side) and the workers of the child's group plus the location manager (staff
side). Customer service may read them per the access rules (daycare.access) but takes no part.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.ids import new_code


class Side(models.TextChoices):
    PARENT = "parent", _("family")
    STAFF = "staff", _("staff")


class Conversation(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    child = models.ForeignKey(
        "daycare.Child",
        # Conversations go through messaging/retention.py (which also removes the files).
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("child"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), db_index=True)
    # True while the newest (not retracted) message comes from the family: the inbox puts these
    # first. Kept up to date by messaging.services in the same transaction as the message.
    awaiting_staff_reply = models.BooleanField(_("awaiting a reply from staff"), default=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(
                fields=["child", "-awaiting_staff_reply", "-last_message_at"],
                name="conversation_inbox_idx",
            )
        ]

    def __str__(self):
        return self.subject


class Message(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=pgettext_lazy("message", "author"),
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_idx")
        ]

    def __str__(self):
        return f"{self.conversation} – {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    storage_key = models.CharField(max_length=255, unique=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=64)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ReadMark(models.Model):
    """How far one person has read one conversation; the rest counts as unread."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_marks"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="readmark_unique")
        ]

    def __str__(self):
        return (
            f"{self.user_id} read {self.conversation_id} until {self.last_read_at:%Y-%m-%d %H:%M}"
        )


class NotificationPreference(models.Model):
    """Whether a person wants an e-mail about new messages (on unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preference"
    )
    email_on_new_message = models.BooleanField(
        _("E-mail me when there is a new message"), default=True
    )

    def __str__(self):
        return f"{self.user_id}: {self.email_on_new_message}"


class PendingNotification(models.Model):
    """One e-mail owed to a person; messages arriving before ``due_at`` join the same e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    due_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.user_id} due {self.due_at:%Y-%m-%d %H:%M}"
