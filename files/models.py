from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class PendingFileDeletion(models.Model):
    """A storage key whose record is gone and whose file must go (DESIGN.md, crash-safe deletion).

    The service that deletes a record queues its keys in the same transaction; a worker deletes
    each file and forgets the key only once the file is gone. After any crash, either the record
    and its files both exist, or the key is queued here: never an orphan file, never a record
    pointing to a missing file.

    A new file is queued *before* it is written, with ``not_before`` set some time ahead
    (``files.services.files_store``); the transaction that stores its record takes the key off
    the queue again (``files_keep``). A process killed in between leaves the key queued, so the
    half-made file is deleted once ``not_before`` has passed.
    """

    key = models.CharField(_("storage key"), max_length=500, unique=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    not_before = models.DateTimeField(
        _("not before"),
        null=True,
        blank=True,
        help_text=_("A file still being stored: deleted only after this time, if still queued."),
    )
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pending file deletion")
        verbose_name_plural = _("pending file deletions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.key


class PendingFileBatch(models.Model):
    """Many storage keys whose records are gone, queued by one transaction in one row.

    The same promise as :class:`PendingFileDeletion` for the bulk paths (retention deletes
    thousands of photos per batch): the transaction that deletes the records inserts one row per
    few thousand keys instead of a row per key, and the worker deletes every file of a row before
    it deletes the row. Killed halfway, the row stays and its files are deleted again (deleting a
    missing file is not an error). Keys whose file could not be deleted stay in the row.
    """

    keys = models.TextField(_("storage keys"), help_text=_("One per line."))
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pending file deletion batch")
        verbose_name_plural = _("pending file deletion batches")
        ordering = ["pk"]

    def __str__(self) -> str:
        count = len(self.key_list)
        return ngettext("%(count)d file", "%(count)d files", count) % {"count": count}

    @property
    def key_list(self) -> list[str]:
        # Plain text, not JSON: PostgreSQL parsed the JSON of 5,000 keys a row slower than the
        # records were deleted. Keys never hold a line break (files.keys.new_key).
        return self.keys.split("\n") if self.keys else []
