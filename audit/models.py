"""The access log (R24): who on the staff read which child's diary or photos, and every export
or archive access. What was read is never stored, only its kind.

Rows belong to the child: ``on_delete=CASCADE`` removes them when retention destroys the child
(R20). The log exists to answer the parents and the privacy officer while the child's data
exists; after destruction the retention app's DestructionRecord is what remains, and an access
log pointing at nobody would be personal data (staff behaviour) without a purpose.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daycare.models import Child


class AccessKind(models.TextChoices):
    DIARY_READ = "diary_read", _("read the diary")
    PHOTO_READ = "photo_read", _("viewed photos")
    PHOTO_DOWNLOAD = "photo_download", _("downloaded photos")
    EXPORT_CREATED = "export_created", _("made a data export")
    EXPORT_DOWNLOADED = "export_downloaded", _("downloaded a data export")
    ARCHIVE_OPENED = "archive_opened", _("opened the archive")
    # Changes of who may see the child (R27): recorded for everyone, like exports.
    GUARDIAN_REQUESTED = "guardian_requested", _("asked for a new guardian")
    GUARDIAN_APPROVED = "guardian_approved", _("approved a new guardian")
    GUARDIAN_REFUSED = "guardian_refused", _("refused a new guardian")
    GUARDIAN_ADDED = "guardian_added", _("added a guardian")
    GUARDIAN_REMOVED = "guardian_removed", _("removed a guardian")


# Reads by staff only (a parent reading their own child's data is not logged); exports and
# archive access are logged for everyone.
STAFF_READS = frozenset({AccessKind.DIARY_READ, AccessKind.PHOTO_READ, AccessKind.PHOTO_DOWNLOAD})


class AccessRole(models.TextChoices):
    GROUP_WORKER = "group_worker", _("group worker")
    LOCATION_MANAGER = "location_manager", _("location manager")
    CUSTOMER_SERVICE = "customer_service", _("customer service")
    ADMINISTRATOR = "administrator", _("administrator")
    GUARDIAN = "guardian", _("parent")


class AccessEvent(models.Model):
    """One kind of access by one person to one child within one minute (de-duplicated)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The role at the time: a worker who later moves on still shows as what they were then.
    role = models.CharField(_("role"), max_length=32, choices=AccessRole.choices)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    kind = models.CharField(_("what"), max_length=32, choices=AccessKind.choices)
    # Truncated to the minute: with the unique constraint a gallery of 48 photos is one row.
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "child", "kind", "at"], name="accessevent_once_per_minute"
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-at"], name="accessevent_child_at"),
            models.Index(fields=["-at"], name="accessevent_at"),
        ]

    def __str__(self):
        return f"{self.kind} {self.child_id} {self.at:%Y-%m-%d %H:%M}"
