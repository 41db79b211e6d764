"""The deletion queue as tests see it (crash-safe deletion, DESIGN.md)."""

from files.models import PendingFileBatch, PendingFileDeletion


def queued_keys() -> set[str]:
    """Every storage key on the deletion queue: reserved, queued one by one or in batches."""
    keys = set(PendingFileDeletion.objects.values_list("key", flat=True))
    for batch in PendingFileBatch.objects.only("keys").iterator():
        keys.update(batch.key_list)
    return keys
