"""messaging/retention.py per retention/contract.py: destroy and export (R16-R21)."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from messaging import retention
from messaging.models import Attachment, Conversation, Message, ReadMark
from tests.files.queue import queued_keys
from tests.messaging.conftest import PDF, jpeg_with_exif

pytestmark = pytest.mark.django_db


class Writer:
    def __init__(self):
        self.json, self.files = {}, {}

    def add_json(self, path, data):
        self.json[path] = json.loads(json.dumps(data))

    def add_bytes(self, path, data):
        self.files[path] = data

    def add_file(self, path, storage_key):
        with default_storage.open(storage_key, "rb") as handle:
            self.files[path] = handle.read()


@pytest.fixture
def threads(client, cast, ask, login):
    files = [
        SimpleUploadedFile("foto.jpg", jpeg_with_exif(), "image/jpeg"),
        SimpleUploadedFile("brief.pdf", PDF, "application/pdf"),
    ]
    _r, daan = ask(cast.anna, cast.daan, "Over Daan", "Vraag", files=files)
    client.post(f"/messaging/c/{daan.code}/", {"body": "Nog iets"})
    _r, finn = ask(cast.bram, cast.finn, "Over Finn", "Andere vraag")
    return daan, finn


def test_it_destroys_the_conversations_of_the_children_and_queues_their_files(
    cast, threads, django_capture_on_commit_callbacks
):
    daan, finn = threads
    keys = set(Attachment.objects.values_list("storage_key", flat=True))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        removed = retention.destroy_children([cast.daan.pk])
    assert removed == {"conversations": 1, "messages": 2, "message attachments": 2}
    assert not Conversation.objects.filter(pk=daan.pk).exists()
    assert not Message.objects.filter(conversation_id=daan.pk).exists()
    assert not ReadMark.objects.filter(conversation_id=daan.pk).exists()
    assert Conversation.objects.filter(pk=finn.pk).exists()
    assert not any(default_storage.exists(key) for key in keys)
    assert not queued_keys()
    # idempotent
    with transaction.atomic():
        assert retention.destroy_children([cast.daan.pk]) == {
            "conversations": 0,
            "messages": 0,
            "message attachments": 0,
        }


def test_it_exports_a_childs_conversations_with_their_files(cast, threads):
    writer = Writer()
    retention.export_child(child=cast.daan, user=cast.anna, writer=writer)
    (data,) = writer.json.values()
    assert [c["subject"] for c in data] == ["Over Daan"]
    assert [m["text"] for m in data[0]["messages"]] == ["Vraag", "Nog iets"]
    assert data[0]["messages"][0]["author"] == "Anna de Vries"
    files = data[0]["messages"][0]["attachments"]
    assert [f["name"] for f in files] == ["foto.jpg", "brief.pdf"]
    assert writer.files[files[1]["file"]] == PDF
    assert "Over Finn" not in json.dumps(writer.json)
