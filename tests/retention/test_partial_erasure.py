"""Partial erasure on request (R20): customer service erases a child's photos, one diary entry
or the parent's messages from an erasure request, through the retention modules (files queued
for deletion in the same transaction), with the counts on the request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consent.models import Purpose
from daycare.models import Child
from diary.models import DiaryDay, DiaryEntry
from messaging.models import Attachment, Conversation, Message
from photos.models import Photo, PhotoTag
from retention.models import DataRequest, DestructionRecord
from tests.files.queue import queued_keys
from tests.messaging.conftest import jpeg_with_exif
from tests.photos.conftest import make_photo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _erasure(client, subject):
    response = client.post(
        "/retention/requests/new/",
        {"kind": "erasure", "subject": subject, "explanation": "Graag een deel wissen."},
    )
    assert response.status_code == 302
    return DataRequest.objects.get(kind="erasure")


def _erase_part(client, request, part, confirm=True):
    data = {"part-part": part}
    if confirm:
        data["part-confirm"] = "on"
    return client.post(f"/staff/retention/requests/{request.code}/erase-part/", data, follow=True)


def _history(request):
    return list(request.events.values_list("action", "note"))


def test_it_erases_only_the_childs_photos_and_keeps_a_group_photo_for_the_others(
    cast,
    statement,
    decide,
    login,
    make_photo,  # noqa: F811
):
    for child in (cast.eva, cast.daan):
        decide(child, Purpose.PHOTOS)
    own = make_photo(cast.eva)
    group = make_photo(cast.eva, cast.daan)
    request = _erasure(login(cast.anna), cast.eva.code)
    service = login(cast.service, reauthenticated=True)
    page = service.get(f"/staff/retention/requests/{request.code}/").text
    assert "De foto&#x27;s van Eva" in page or "De foto’s van Eva" in page

    response = _erase_part(service, request, "photos")
    assert "Dat deel van de gegevens is gewist." in response.text
    assert not Photo.objects.filter(pk=own.pk).exists()
    assert {own.original_key, own.display_key, own.thumb_key} <= queued_keys()
    assert list(PhotoTag.objects.filter(photo=group).values_list("child", flat=True)) == [
        cast.daan.pk
    ]
    assert Child.objects.filter(pk=cast.eva.pk).exists()  # her contract runs: only the photos
    request.refresh_from_db()
    assert request.is_open and request.handler == cast.service
    action, note = _history(request)[-1]
    assert action == "partly erased" and "foto’s: 1" in note and "fotolabels: 2" in note
    record = DestructionRecord.objects.get(reason="partial erasure")
    assert record.counts["photos"] == 1 and record.children == 0
    assert "gedeeltelijk gewist" in response.text and "foto’s: 1" in response.text


def test_it_erases_one_diary_entry_and_keeps_the_others(cast, statement, login):
    day = DiaryDay.objects.create(child=cast.eva, date=timezone.localdate())
    doomed = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Weg ermee")
    kept = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Blijft")
    request = _erasure(login(cast.anna), cast.eva.code)
    service = login(cast.service, reauthenticated=True)
    response = _erase_part(service, request, f"entry-{doomed.code}")
    assert response.status_code == 200
    assert list(DiaryEntry.objects.all()) == [kept]
    assert "dagboekberichten: 1" in _history(request)[-1][1]


def test_it_erases_the_parents_messages_with_their_files_and_keeps_the_staff_reply(
    cast, statement, login, client
):
    anna = login(cast.anna)
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_exif(), "image/jpeg")
    anna.post(
        "/messaging/new/",
        {"child": cast.daan.code, "subject": "Vraag", "body": "Van Anna", "attachments": [photo]},
    )
    anna.post("/messaging/new/", {"child": cast.eva.code, "subject": "Alleen", "body": "Weg"})
    replied = Conversation.objects.get(subject="Vraag")
    key = Attachment.objects.get().storage_key
    login(cast.sanne).post(f"/staff/messaging/c/{replied.code}/", {"body": "Antwoord van Sanne"})
    request = _erasure(login(cast.anna), "me")
    service = login(cast.service, reauthenticated=True)
    _erase_part(service, request, "messages")
    assert list(Message.objects.values_list("body", flat=True)) == ["Antwoord van Sanne"]
    assert key in queued_keys() and not Attachment.objects.exists()
    assert list(Conversation.objects.values_list("subject", flat=True)) == ["Vraag"]
    note = _history(request)[-1][1]
    assert "berichten: 2" in note and "gesprekken: 1" in note


def test_it_changes_nothing_without_confirmation_or_with_a_choice_it_did_not_offer(
    cast, statement, login
):
    day = DiaryDay.objects.create(child=cast.mila, date=timezone.localdate())
    other = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Mila")
    request = _erasure(login(cast.anna), cast.eva.code)
    service = login(cast.service, reauthenticated=True)
    response = _erase_part(service, request, "messages", confirm=False)
    assert "Kies wat u wilt wissen en bevestig het." in response.text
    response = _erase_part(service, request, f"entry-{other.code}")
    assert "Kies wat u wilt wissen en bevestig het." in response.text
    assert DiaryEntry.objects.filter(pk=other.pk).exists()
    response = _erase_part(service, request, "messages")
    assert "Er was hiervan niets meer om te wissen." in response.text
    assert not DestructionRecord.objects.exists()
    assert [action for action, _note in _history(request)] == ["received"]


@pytest.mark.parametrize("who", ["anna", "sanne", "lotte"])
def test_it_gives_everyone_but_customer_service_404(cast, statement, login, who):
    request = _erasure(login(cast.anna), cast.eva.code)
    response = login(cast.users[who], reauthenticated=True).post(
        f"/staff/retention/requests/{request.code}/erase-part/",
        {"part-part": "photos", "part-confirm": "on"},
    )
    assert response.status_code == 404
    assert not DestructionRecord.objects.exists()
