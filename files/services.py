"""Writes of the files app: storing new files and the crash-safe deletion queue (DESIGN.md)."""

import os
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.private_apis import s3_object_name
from files.keys import new_key
from files.models import PendingFileBatch, PendingFileDeletion
from outbox.services import enqueue

if TYPE_CHECKING:
    from django.core.files.storage import Storage

QUEUE_BATCH_SIZE = 5000  # keys per PendingFileBatch row
DELETE_BATCH_SIZE = 2000  # one commit (a WAL flush) per this many single keys deleted


class StoredFileLost(RuntimeError):
    """A file stored for a record was cleaned up before the record was saved (it took longer
    than ``FILES_RESERVATION_SECONDS``): the caller's transaction must not commit."""


def files_store(*, prefix: str, extension: str, content: "bytes | File[Any]") -> str:
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

    One queue row holds up to ``QUEUE_BATCH_SIZE`` keys: retention queues three keys per photo,
    thousands per batch, and a row per key cost more than deleting the records
    (bench/retention_destroy.py). A key still reserved by :func:`files_store` loses its
    reservation, so its file is deleted at once instead of after its grace and a later
    :func:`files_keep` of it fails.
    """
    rows = list(dict.fromkeys(key for key in keys if key))  # once each, in order
    if not rows:
        return 0
    if any("\n" in key for key in rows):
        raise ValueError("a storage key with a line break")  # a queue row holds one per line
    chunks = [
        rows[start : start + QUEUE_BATCH_SIZE] for start in range(0, len(rows), QUEUE_BATCH_SIZE)
    ]
    _unreserve(rows)
    COUNTERS["queued"] += len(rows)
    PendingFileBatch.objects.bulk_create(
        [PendingFileBatch(keys="\n".join(chunk)) for chunk in chunks]
    )
    # Here, not at the top: files.tasks imports this module (an import cycle).
    from files.tasks import delete_pending_files_task

    enqueue(delete_pending_files_task)
    return len(rows)


def files_delete_pending(*, limit: int = 10_000, storage: "Storage | None" = None) -> int:
    """Delete queued files, forgetting each key only after its file is gone. Idempotent.

    Returns how many files were deleted; stops after about ``limit`` of them (call again while it
    returns more than zero) or when every file left failed to delete in this call.
    """
    storage = storage or default_storage
    done = _delete_batches(storage, limit)
    if done < limit:
        done += _delete_single_keys(storage, limit - done)
    return done


def _delete_batches(storage: "Storage", limit: int) -> int:
    done = 0
    after = 0
    while done < limit:
        batch = PendingFileBatch.objects.filter(pk__gt=after).order_by("pk").first()
        if batch is None:
            break
        after = batch.pk
        keys = batch.key_list
        failed = delete_files(storage, keys)
        done += len(keys) - len(failed)
        if failed:
            PendingFileBatch.objects.filter(pk=batch.pk).update(
                keys="\n".join(failed), attempts=batch.attempts + 1
            )
        else:
            PendingFileBatch.objects.filter(pk=batch.pk).delete()
    return done


S3_DELETE_OBJECTS_MAX = 1000  # the most keys S3's DeleteObjects takes in one request


# Files queued and deleted by this process, for reports such as run_retention's: the deletion
# task may run in the same process (eager Celery) before the run's own loop gets to them.
COUNTERS = {"queued": 0, "deleted": 0}


def delete_files(storage: "Storage", keys: list[str]) -> list[str]:
    """Delete these files from the storage; return the keys that could not be deleted."""
    failed = _delete_files(storage, keys)
    COUNTERS["deleted"] += len(keys) - len(failed)
    return failed


def _delete_files(storage: "Storage", keys: list[str]) -> list[str]:
    """Delete these files from the storage; return the keys that could not be deleted.

    A missing file is not an error. On S3 one ``DeleteObjects`` request per 1,000 keys instead of
    an HTTP ``DELETE`` per key; on the local file system one ``unlink`` per file (Django's
    ``FileSystemStorage.delete`` also asks whether each key is a folder). Any other storage
    deletes key by key, and so does a subclass with a ``delete`` of its own.
    """
    from django.core.files.storage import FileSystemStorage
    from storages.backends.s3 import S3Storage

    kind = storage.__class__  # the wrapped class for default_storage (a lazy object) as well
    failed = []
    if issubclass(kind, S3Storage) and kind.delete is S3Storage.delete:
        for start in range(0, len(keys), S3_DELETE_OBJECTS_MAX):
            chunk = keys[start : start + S3_DELETE_OBJECTS_MAX]
            # The object names S3Storage.delete() would use (its location prefix included).
            names = {s3_object_name(storage, key): key for key in chunk}
            try:
                answer = storage.bucket.delete_objects(  # type: ignore[attr-defined]
                    Delete={"Objects": [{"Key": name} for name in names], "Quiet": True}
                )
            except Exception:
                failed.extend(chunk)
                continue
            # S3 reports a missing key as deleted; anything in Errors is still there.
            failed.extend(names[error["Key"]] for error in answer.get("Errors", []))
        return failed
    if issubclass(kind, FileSystemStorage) and kind.delete is FileSystemStorage.delete:
        for key in keys:
            try:
                os.unlink(storage.path(key))
            except FileNotFoundError:
                pass
            except (OSError, ValueError):  # ValueError: a key outside the storage's folder
                failed.append(key)
        return failed
    for key in keys:
        try:
            storage.delete(key)  # deleting a missing file is not an error
        except Exception:
            failed.append(key)
    return failed


def _delete_single_keys(storage: "Storage", limit: int) -> int:
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
        failed = set(delete_files(storage, [key for _pk, key, _attempts in batch]))
        gone = []
        for pk, key, attempts in batch:
            if key in failed:
                PendingFileDeletion.objects.filter(pk=pk).update(attempts=attempts + 1)
            else:
                gone.append(pk)
        _forget(gone)
        done += len(gone)
        if not gone:
            break
    return done


def _unreserve(keys: list[str]) -> None:
    """Delete the reservations of these keys, if any. Reservations are the files being stored
    right now (and abandoned ones until their grace has passed): a few rows, read whole and
    matched here, which is cheaper than sending thousands of keys to the database."""
    reserved = dict(
        PendingFileDeletion.objects.filter(not_before__isnull=False).values_list("key", "pk")
    )
    if reserved:
        pks = [reserved[key] for key in keys if key in reserved]
        PendingFileDeletion.objects.filter(pk__in=pks).delete()


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
