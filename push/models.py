"""Web push: a subscription per device, a person's timing choices, and the pushes owed.

A push says only which kind of news there is and, for a parent, their own child's first name
("Nieuwe foto's van Daan"): never a text, a photo, a subject or another child's name.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ids import new_code


class Kind(models.TextChoices):
    DIARY = "diary", _("A new diary day")
    PHOTOS = "photos", _("New photos")
    MESSAGES = "messages", _("A new message")
    NEWS = "news", _("News and newsletters")
    REQUESTS = "requests", _("Reminders about a data request")


class PushSubscription(models.Model):
    """One browser (device) that may receive pushes for ``user``, and which kinds it wants.

    ``endpoint`` and the keys come from the browser's ``pushManager.subscribe()``. A push
    service that answers 404 or 410 has forgotten the subscription: it is deleted."""

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    device = models.CharField(_("device"), max_length=60, blank=True)
    diary = models.BooleanField(Kind.DIARY.label, default=False)
    photos = models.BooleanField(Kind.PHOTOS.label, default=False)
    messages = models.BooleanField(Kind.MESSAGES.label, default=False)
    news = models.BooleanField(Kind.NEWS.label, default=False)
    requests = models.BooleanField(Kind.REQUESTS.label, default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.user_id}: {self.device or self.code}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))

    def kinds(self) -> list[str]:
        return [kind for kind in Kind.values if self.wants(kind)]


class PushSettings(models.Model):
    """When a person wants their pushes: right away except in quiet hours (held, then sent),
    or once a day as a digest. Without a row: quiet hours 21:00-07:00, no digest."""

    class Mode(models.TextChoices):
        RIGHT_AWAY = "now", _("Right away (outside quiet hours)")
        DIGEST = "digest", _("Once a day, all together")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_settings"
    )
    quiet_start = models.TimeField(_("quiet hours from"), default=time(21, 0))
    quiet_end = models.TimeField(_("quiet hours until"), default=time(7, 0))
    mode = models.CharField(_("when"), max_length=8, choices=Mode.choices, default=Mode.RIGHT_AWAY)
    digest_at = models.TimeField(_("digest at"), default=time(18, 30))

    class Meta:
        verbose_name = _("push settings")
        verbose_name_plural = _("push settings")

    def __str__(self):
        return f"{self.user_id}: {self.mode}"


class PendingPush(models.Model):
    """A push owed to ``user``, sent at ``due_at`` (later in quiet hours or for a digest).

    ``key`` makes it once only: one per upload batch and child, one per diary day and child,
    one per message. Sent rows are kept two days so that a late repeat is still recognised."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    child = models.ForeignKey(
        "daycare.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=120)
    # What the push is about, to check again at sending time: a photo batch, a message id, a
    # publication id, a data request id, or "staff" for customer service's deadline reminder.
    ref = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="push_pending_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="push_pending_due_idx")]

    def __str__(self):
        return f"{self.user_id}: {self.key}"
