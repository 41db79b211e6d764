"""Storing new files crash-safely (DESIGN.md): a file is queued for deletion before it is
written and taken off the queue by the transaction that saves its record, so a process killed
in between leaves no orphan file."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from files.models import PendingFileDeletion
from files.services import (
    StoredFileLost,
    files_delete_pending,
    files_keep,
    files_queue_deletion,
    files_store,
)

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
    assert not PendingFileDeletion.objects.exists()


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
    assert PendingFileDeletion.objects.get(key=key).not_before is None
    assert files_delete_pending() == 1
    assert not default_storage.exists(key)
