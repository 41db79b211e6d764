"""The feature apps' data goes with the child (R18) and comes along in the export (R16):
diary, photos (originals and variants; shared photos keep the other children), conversations
with attachments, absences. Uses each app's retention module through the retention engine."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from absences.models import Absence
from consent import projection
from consent.models import Purpose
from diary.models import DiaryDay, DiaryEntry
from messaging.models import Attachment, Conversation, Message
from photos.models import Photo, PhotoTag
from retention import engine
from retention.models import Export
from tests.files.queue import queued_keys
from tests.retention.helpers import make_child, stored_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
LONG_AGO = (date(2020, 1, 6), date(2025, 10, 1))


def give_data(child, *, staff, parent, day=date(2025, 9, 15)):
    """One of everything, with files; returns the storage keys."""
    diary_day = DiaryDay.objects.create(child=child, date=day)
    DiaryEntry.objects.create(day=diary_day, kind="staff", author=staff, text="Lekker gespeeld.")
    DiaryEntry.objects.create(day=diary_day, kind="parent", author=parent, text="Slecht geslapen.")
    keys = [stored_file("photos"), stored_file("photos"), stored_file("photos")]
    photo = Photo.objects.create(
        group=child.group,
        uploaded_by=staff,
        batch="b1",
        taken_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10)),
        original_key=keys[0],
        display_key=keys[1],
        thumb_key=keys[2],
        width=10,
        height=10,
    )
    PhotoTag.objects.create(photo=photo, child=child, tagged_by=staff)
    projection.photos_changed([photo.pk])  # written directly: project them
    conversation = Conversation.objects.create(
        child=child, subject="Ophalen", started_by=parent, last_message_at=timezone.now()
    )
    message = Message.objects.create(
        conversation=conversation,
        author=parent,
        side="parent",
        body="Opa haalt op.",
        created_at=timezone.now(),
    )
    attachment_key = stored_file("messaging")
    Attachment.objects.create(
        message=message,
        storage_key=attachment_key,
        content_type="application/pdf",
        filename="a.pdf",
        size=64,
    )
    Absence.objects.create(
        child=child, start_date=day, end_date=day, reason="sick", reported_by=parent
    )
    return {"photo": photo, "keys": [*keys, attachment_key]}


def test_it_destroys_diary_photos_messages_and_absences_with_their_files(cast):
    cast.lieke.delete()
    child = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[cast.fleur])
    data = give_data(child, staff=cast.sanne, parent=cast.fleur)
    # A group photo with Noor too: it stays, only the destroyed child's tag goes.
    group_keys = [stored_file("photos")]
    group_photo = Photo.objects.create(
        group=cast.group_c, batch="b2", original_key=group_keys[0], width=10, height=10
    )
    PhotoTag.objects.create(photo=group_photo, child=child)
    PhotoTag.objects.create(photo=group_photo, child=cast.noor)
    projection.photos_changed([group_photo.pk])
    kept = give_data(cast.noor, staff=cast.sanne, parent=cast.fleur)

    report = engine.run(today=TODAY)

    assert report.counts["diary entries"] == 2
    assert report.counts["photos"] == 1 and report.counts["photo tags"] == 2
    assert report.counts["messages"] == 1 and report.counts["message attachments"] == 1
    assert report.counts["absence reports"] == 1
    assert not DiaryDay.objects.filter(child_id=child.pk).exists()
    assert not Photo.objects.filter(pk=data["photo"].pk).exists()
    assert not Conversation.objects.filter(child_id=child.pk).exists()
    assert not Absence.objects.filter(child_id=child.pk).exists()
    for key in data["keys"]:
        assert not default_storage.exists(key)
    assert not queued_keys()
    # Noor's data and the shared photo stay, with their files.
    assert list(group_photo.tags.values_list("child", flat=True)) == [cast.noor.pk]
    assert default_storage.exists(group_keys[0])
    for key in kept["keys"]:
        assert default_storage.exists(key)
    assert DiaryEntry.objects.filter(day__child=cast.noor).count() == 2


def test_it_exports_every_apps_part_for_the_guardian(
    cast, statement, decide, login, django_capture_on_commit_callbacks
):
    decide(cast.noor, Purpose.PHOTOS, by=cast.fleur)
    decide(cast.noor, Purpose.DIARY, by=cast.fleur)
    day = timezone.localdate() - timedelta(weeks=5)
    give_data(cast.noor, staff=cast.sanne, parent=cast.fleur, day=day)
    client = login(cast.fleur, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.noor.code}/export/")
    export = Export.objects.get()
    response = client.get(f"/retention/exports/{export.code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {
        "Noor/diary/diary.json",
        "Noor/diary/diary.pdf",
        f"Noor/photos/{day:%Y-%m-%d}_1000_1.jpg",
        "Noor/messages/conversations.json",
        "Noor/absences.json",
    } <= names, names
    assert archive.read("Noor/diary/diary.pdf").startswith(b"%PDF")
    diary = json.loads(archive.read("Noor/diary/diary.json"))
    assert "Lekker gespeeld." in json.dumps(diary)
