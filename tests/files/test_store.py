"""Storing new files crash-safely (DESIGN.md): a file is queued for deletion before it is
written and taken off the queue by the transaction that saves its record, so a process killed
in between leaves no orphan file."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone

from files.models import PendingFileBatch, PendingFileDeletion
from files.services import (
    StoredFileLost,
    files_delete_pending,
    files_keep,
    files_queue_deletion,
    files_store,
)
from tests.files.queue import queued_keys

pytestmark = pytest.mark.django_db


def test_it_deletes_a_file_whose_record_never_came_once_its_grace_has_passed(settings):
    settings.FILES_RESERVATION_SECONDS = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        key = files_store(prefix="photos", extension="jpg", content=b"half a photo")
    # The process that stored it was killed here: no record, no files_keep.
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        assert files_delete_pending() == 0
        assert default_storage.exists(key)
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        assert files_delete_pending() == 1
    assert not default_storage.exists(key)
    assert not queued_keys()


def test_it_keeps_a_file_once_its_record_is_saved(settings):
    key = files_store(prefix="photos", extension="jpg", content=b"a photo")
    with transaction.atomic():
        files_keep(keys=[key])
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert files_delete_pending() == 0
    assert default_storage.exists(key)


def test_it_refuses_to_keep_a_file_that_was_already_cleaned_up(settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        key = files_store(prefix="photos", extension="jpg", content=b"a slow photo")
    with time_machine.travel(start + timedelta(seconds=settings.FILES_RESERVATION_SECONDS + 1)):
        files_delete_pending()
    with pytest.raises(StoredFileLost), transaction.atomic():
        files_keep(keys=[key])


def test_it_deletes_a_reserved_file_at_once_when_its_record_fails():
    key = files_store(prefix="messaging", extension="pdf", content=b"%PDF-1.4")
    files_queue_deletion(keys=[key])
    # The reservation is gone with the queueing: a late files_keep() of it fails.
    assert not PendingFileDeletion.objects.filter(key=key).exists()
    assert key in queued_keys()
    assert files_delete_pending() == 1
    assert not default_storage.exists(key)


def test_it_refuses_to_keep_a_reserved_file_that_was_queued_for_deletion():
    key = files_store(prefix="messaging", extension="pdf", content=b"%PDF-1.4")
    files_queue_deletion(keys=[key])
    with pytest.raises(StoredFileLost), transaction.atomic():
        files_keep(keys=[key])


def stored(count, prefix="photos"):
    keys = []
    for index in range(count):
        key = files_store(prefix=prefix, extension="jpg", content=b"photo %d" % index)
        files_keep(keys=[key])
        keys.append(key)
    return keys


def test_it_queues_many_keys_in_few_rows_and_deletes_every_file(monkeypatch):
    monkeypatch.setattr("files.services.QUEUE_BATCH_SIZE", 4)
    keys = stored(10)
    with transaction.atomic():
        assert files_queue_deletion(keys=keys + keys[:3] + ["", None]) == 10  # once each
    assert PendingFileBatch.objects.count() == 3  # 4 + 4 + 2
    assert not PendingFileDeletion.objects.exists()
    assert queued_keys() == set(keys)
    assert files_delete_pending() == 10
    assert not any(default_storage.exists(key) for key in keys)
    assert not queued_keys()


class FlakyStorage(FileSystemStorage):
    """The storage of the test settings, with files it cannot delete (a full S3 outage, say)."""

    def __init__(self, failing=(), stop_after=None):
        super().__init__(location=default_storage.location)
        self.failing, self.stop_after, self.deleted = set(failing), stop_after, 0

    def delete(self, name):
        if name in self.failing:
            raise OSError("storage unavailable")
        if self.stop_after is not None and self.deleted == self.stop_after:
            raise KeyboardInterrupt  # the worker is killed in the middle of a batch
        super().delete(name)
        self.deleted += 1


def test_it_keeps_the_keys_whose_files_could_not_be_deleted():
    keys = stored(5)
    files_queue_deletion(keys=keys)
    assert files_delete_pending(storage=FlakyStorage(failing=keys[1:3])) == 3
    batch = PendingFileBatch.objects.get()
    assert (batch.key_list, batch.attempts) == (keys[1:3], 1)
    assert [default_storage.exists(key) for key in keys] == [False, True, True, False, False]
    assert files_delete_pending() == 2
    assert not queued_keys()


def test_it_finishes_a_batch_whose_worker_was_killed_halfway():
    keys = stored(6)
    files_queue_deletion(keys=keys)
    with pytest.raises(KeyboardInterrupt):
        files_delete_pending(storage=FlakyStorage(stop_after=3))
    # Half the files are gone, the row still holds every key: nothing is forgotten early.
    assert [default_storage.exists(key) for key in keys] == [False] * 3 + [True] * 3
    assert queued_keys() == set(keys)
    assert files_delete_pending() == 6  # deleting a missing file again is not an error
    assert not any(default_storage.exists(key) for key in keys)
    assert not queued_keys()


def test_it_stops_near_its_limit_and_goes_on_where_it_stopped(monkeypatch):
    monkeypatch.setattr("files.services.QUEUE_BATCH_SIZE", 3)
    keys = stored(9)
    files_queue_deletion(keys=keys)
    assert files_delete_pending(limit=4) == 6  # whole rows: the second row passes the limit
    assert queued_keys() == set(keys[6:])
    assert files_delete_pending(limit=4) == 3
    assert files_delete_pending() == 0
