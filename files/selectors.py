"""Reads of the files app."""

from files.models import PendingFileBatch, PendingFileDeletion


def queued_keys() -> set[str]:
    """Every storage key on the deletion queue: reserved, queued one by one or in batches."""
    keys = set(PendingFileDeletion.objects.values_list("key", flat=True))
    for batch_keys in PendingFileBatch.objects.values_list("keys", flat=True).iterator():
        keys.update(batch_keys)
    return keys
