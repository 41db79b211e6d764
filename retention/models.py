from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.ids import new_code
from daycare.models import Child

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EXPORT_DAYS = 7  # a download link works for 7 days (R16)
REQUEST_DAYS = 28  # a data request is answered within 4 weeks (R20)


# What a DestructionRecord's reason and counts mean, for people (the admin): the stored values
# stay plain English codes so that records of all years compare.
DESTRUCTION_REASONS = {
    "schedule": _("retention schedule"),
    "erasure request": _("erasure request"),
    "partial erasure": _("partial erasure on request"),
}
DESTRUCTION_KINDS = {
    "absence reports": _("absence reports"),
    "access log entries": _("access log entries"),
    "accounts erased": _("accounts erased"),
    "care contracts": _("care contracts"),
    "children": _("children"),
    "consent decisions": _("consent decisions"),
    "conversations": _("conversations"),
    "data request texts": _("data request texts"),
    "diary days": _("diary days"),
    "diary entries": _("diary entries"),
    "exports": _("exports"),
    "guardianships": _("guardianships"),
    "invitations": _("invitations"),
    "message attachments": _("message attachments"),
    "messages": _("messages"),
    "photo files": _("photo files"),
    "photo tags": _("photo tags"),
    "photos": _("photos"),
}


class DestructionRecord(models.Model):
    """What the destruction of a batch of children left behind (R18): when, what kinds, how
    many. No names, no codes, no ids of people: nothing that points back to a person."""

    run_date = models.DateField(_("run date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=32, default="schedule")
    children = models.PositiveIntegerField(_("children"))
    accounts_erased = models.PositiveIntegerField(_("accounts erased"), default=0)
    counts = models.JSONField(_("what was removed"), default=dict)

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.run_date}: {self.children}"

    def reason_label(self) -> str:
        return str(DESTRUCTION_REASONS.get(self.reason, self.reason))

    def counts_label(self) -> str:
        """ "diary entries: 40 · photos: 1.234", in the reader's language."""
        from django.contrib.humanize.templatetags.humanize import intcomma

        return " · ".join(
            f"{DESTRUCTION_KINDS.get(kind, kind)}: {intcomma(count)}"
            for kind, count in sorted(self.counts.items())
        )


class RetentionRun(models.Model):
    """The retention run's own record (issue 21, finding 5): written when a run starts, finished
    once nothing due is left. A run that is unfinished while no worker holds it (the worker died:
    ``engine.run_lock``) is carried on by beat's ``retention-resume`` within a minute, not after
    the broker's visibility timeout. Dates only, no personal data."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


def _export_expiry() -> datetime:
    return timezone.now() + timedelta(days=EXPORT_DAYS)


class Export(models.Model):
    """One ZIP with everything of one child (or of one person, for an access request) that one
    user may download for 7 days (R16, R21)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person whose own data this export holds (access request)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_exports"
    )
    # Whose view limits the content: the guardian, or customer service for an access request.
    view_as = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    storage_key = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_export_expiry)
    # "Since my last download": only photos (and the days in index.html) added after this.
    since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | models.Q(person__isnull=False),
                name="export_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_downloadable(self) -> bool | str:
        return self.status == self.Status.READY and not self.is_expired and self.storage_key


class DataRequest(models.Model):
    """A parent's request to see, correct or erase personal data (R20)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("access (see my data)")
        CORRECTION = "correction", _("correction")
        ERASURE = "erasure", _("erasure")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)

    code = models.CharField(max_length=22, unique=True, default=new_code, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_requests",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind of request"), max_length=16, choices=Kind.choices)
    child = models.ForeignKey(
        Child,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_requests",
        verbose_name=_("about child"),
    )
    about_child = models.BooleanField(default=False)
    explanation = models.TextField(_("explanation"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    outcome = models.TextField(_("outcome for the parent"), blank=True)
    export = models.ForeignKey(
        Export, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["deadline", "received_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="request_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def subject_label(self) -> "StrOrPromise":
        if self.about_child:
            return self.child.first_name if self.child else _("a child (no longer in the portal)")
        return _("yourself")


class RequestEvent(models.Model):
    """Every step in handling a data request (R20): who, when, what."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("received")
        TAKEN = "taken", _("taken in hand")
        NOTE = "note", pgettext_lazy("data request", "note")
        EXPORT_STARTED = "export started", _("export started")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        ERASED = "erased", _("erased")
        CORRECTED = "corrected", _("corrected")
        PARTLY_ERASED = "partly erased", _("partly erased")

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def label(self) -> str:
        return self.get_action_display()
