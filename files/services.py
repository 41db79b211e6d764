"""Writes of the files app: the crash-safe deletion queue."""

from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction

from files.models import PendingFileDeletion

BATCH_SIZE = 500


def files_queue_deletion(*, keys: Iterable[str]) -> int:
    """Queue storage keys for deletion. Call inside the transaction that deletes the records."""
    rows = [PendingFileDeletion(key=key) for key in keys if key]
    PendingFileDeletion.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    if rows:
        from files.tasks import delete_pending_files_task

        transaction.on_commit(delete_pending_files_task.delay)
    return len(rows)


def files_delete_pending(*, limit: int = 10_000, storage=None) -> int:
    """Delete queued files, forgetting each key only after its file is gone. Idempotent."""
    storage = storage or default_storage
    done = 0
    while done < limit:
        batch = list(PendingFileDeletion.objects.order_by("pk")[:BATCH_SIZE])
        if not batch:
            break
        gone = []
        for row in batch:
            try:
                storage.delete(row.key)  # deleting a missing file is not an error
            except Exception:
                PendingFileDeletion.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
                continue
            gone.append(row.pk)
        PendingFileDeletion.objects.filter(pk__in=gone).delete()
        done += len(gone)
        if not gone:
            break
    return done
