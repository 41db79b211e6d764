"""Writes of the files app: storing new files and the crash-safe deletion queue (DESIGN.md)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from files.keys import new_key
from files.models import PendingFileDeletion
from outbox.services import enqueue

BATCH_SIZE = 500
DELETE_BATCH_SIZE = 2000  # one commit (a WAL flush) per this many files deleted


class StoredFileLost(RuntimeError):
    """A file stored for a record was cleaned up before the record was saved (it took longer
    than ``FILES_RESERVATION_SECONDS``): the caller's transaction must not commit."""


def files_store(*, prefix: str, extension: str, content: bytes | File) -> str:
    """Write a new file under a random key and return the key, crash-safely.

    The key is queued for deletion (not before ``FILES_RESERVATION_SECONDS`` from now) before
    the file is written; the transaction that saves the record pointing at it must call
    :func:`files_keep`. Killed in between, the file is deleted later: no orphan in storage. Call
    this outside a transaction, so the queue entry is committed before the file exists.
    """
    key = new_key(prefix, extension)
    grace = timedelta(seconds=settings.FILES_RESERVATION_SECONDS)
    PendingFileDeletion.objects.create(key=key, not_before=timezone.now() + grace)
    if isinstance(content, bytes):
        content = ContentFile(content)
    saved = default_storage.save(key, content)
    if saved != key:  # random keys do not collide; a storage that renames them is a bug
        files_queue_deletion(keys=[saved])
        raise RuntimeError("storage did not keep the key it was given")
    return key


def files_keep(*, keys: Iterable[str]) -> None:
    """Take newly stored files off the deletion queue: call inside the transaction that saves
    the records pointing at them."""
    keys = {key for key in keys if key}
    if not keys:
        return
    kept, _ = PendingFileDeletion.objects.filter(key__in=keys, not_before__isnull=False).delete()
    if kept != len(keys):
        raise StoredFileLost("a stored file was cleaned up before its record was saved")


def files_queue_deletion(*, keys: Iterable[str]) -> int:
    """Queue storage keys for deletion. Call inside the transaction that deletes the records.
    A key still reserved by :func:`files_store` is deleted at once instead of after its grace."""
    rows = list(dict.fromkeys(key for key in keys if key))  # once each, in order
    if connection.vendor == "postgresql":
        # One statement per 5,000 keys instead of a model per key in INSERTs of 500: retention
        # queues three keys per photo, thousands per batch (bench/retention_destroy.py).
        table = connection.ops.quote_name(PendingFileDeletion._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.execute(
                    f"INSERT INTO {table} (key, queued_at, not_before, attempts) "  # noqa: S608  # nosec B608 - the model's table; the keys are a parameter
                    "SELECT k, now(), NULL::timestamptz, 0 FROM unnest(%s::text[]) AS k "
                    "ON CONFLICT (key) DO UPDATE SET not_before = NULL",
                    [rows[start : start + 5000]],
                )
    else:
        PendingFileDeletion.objects.bulk_create(
            [PendingFileDeletion(key=key, not_before=None) for key in rows],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["not_before"],
            batch_size=BATCH_SIZE,
        )
    if rows:
        from files.tasks import delete_pending_files_task

        enqueue(delete_pending_files_task)
    return len(rows)


def files_delete_pending(*, limit: int = 10_000, storage=None) -> int:
    """Delete queued files, forgetting each key only after its file is gone. Idempotent."""
    storage = storage or default_storage
    done = 0
    after = 0  # keyset paging: no rescan of the rows deleted by earlier batches
    while done < limit:
        due = Q(not_before__isnull=True) | Q(not_before__lte=timezone.now())
        batch = list(
            PendingFileDeletion.objects.filter(due, pk__gt=after)
            .order_by("pk")
            .values_list("pk", "key", "attempts")[:DELETE_BATCH_SIZE]
        )
        if not batch:
            break
        after = batch[-1][0]
        gone = []
        for pk, key, attempts in batch:
            try:
                storage.delete(key)  # deleting a missing file is not an error
            except Exception:
                PendingFileDeletion.objects.filter(pk=pk).update(attempts=attempts + 1)
                continue
            gone.append(pk)
        _forget(gone)
        done += len(gone)
        if not gone:
            break
    return done


def _forget(pks: list[int]) -> None:
    """Delete these queue rows (their files are gone): one parameter on PostgreSQL."""
    if not pks:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(PendingFileDeletion._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [pks])  # noqa: S608  # nosec B608
    else:
        PendingFileDeletion.objects.filter(pk__in=pks).delete()
