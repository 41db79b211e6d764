"""Attachments: photos re-encoded without EXIF, PDFs checked by content, random storage keys,
delivered only through the access-checked view (R12, R22)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from messaging.models import Attachment
from tests.messaging.conftest import PDF, jpeg_with_exif

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_re_encodes_photos_without_exif(client, cast, ask):
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    photo = SimpleUploadedFile("IMG_0001.jpg", original, "image/jpeg")
    _response, _conversation = ask(cast.anna, cast.daan, "Foto", "Kijk", files=[photo])
    attachment = Attachment.objects.get()
    assert attachment.storage_key.startswith("messaging/")
    assert "IMG_0001" not in attachment.storage_key
    response = client.get(f"/messaging/attachments/{attachment.code}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    data = body(response)
    assert b"SecretCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_it_shows_photos_inline_and_offers_pdfs_as_download(client, cast, ask, login):
    files = [
        SimpleUploadedFile("foto.png", jpeg_with_exif(), "image/png"),
        SimpleUploadedFile("brief.pdf", PDF, "application/pdf"),
    ]
    _response, conversation = ask(cast.anna, cast.daan, "Twee", "Bijlagen", files=files)
    photo, pdf = Attachment.objects.order_by("pk")
    assert photo.filename == "foto.jpg"  # named after what it really is now
    login(cast.sanne)
    page = client.get(f"/staff/messaging/c/{conversation.code}/").content.decode()
    assert f'<img src="/staff/messaging/attachments/{photo.code}/"' in page
    response = client.get(f"/staff/messaging/attachments/{pdf.code}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PDF


def test_it_answers_404_for_attachments_of_a_retracted_message(
    client, cast, ask, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), "image/jpeg")
    _response, conversation = ask(cast.anna, cast.daan, "Oeps", "Verkeerde foto", files=[photo])
    attachment = Attachment.objects.get()
    message = attachment.message
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messaging/c/{conversation.code}/m/{message.code}/retract/")
    assert response.status_code == 302
    assert client.get(f"/messaging/attachments/{attachment.code}/").status_code == 404
    assert not Attachment.objects.exists()
    assert not default_storage.exists(attachment.storage_key)
