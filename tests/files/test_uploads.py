"""The one upload pipeline (files.uploads): a file is what its content says, never what its name
or type header says; refusals carry a code; stored uploads never outlive a failed save."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import DomainError
from files.services import files_delete_pending
from files.uploads import (
    IMAGE,
    PDF,
    UploadRejected,
    clean_upload,
    stored_upload,
    stored_uploads,
)
from newsletters.demo import tiny_pdf
from tests.files.queue import queued_keys
from tests.newsletters.helpers import png_upload

pytestmark = pytest.mark.django_db


def _upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_refuses_a_jpg_that_is_really_a_pdf_when_only_images_are_accepted():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(_upload("foto.jpg", tiny_pdf("Hallo")), accept=[IMAGE])
    assert caught.value.code == "not_image"
    assert isinstance(caught.value, DomainError)  # views that show DomainErrors show this too


def test_it_refuses_a_jpg_that_is_really_text_with_code_unsupported():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(_upload("foto.jpg", b"<script>alert(1)</script>"))
    assert caught.value.code == "unsupported"


def test_it_accepts_a_pdf_with_a_wrong_extension_and_names_it_a_pdf():
    clean = clean_upload(_upload("rooster.jpg", tiny_pdf("Rooster")))
    assert (clean.content_type, clean.extension, clean.filename) == (
        "application/pdf",
        "pdf",
        "rooster.pdf",
    )


def test_it_re_encodes_a_photo_named_as_a_pdf_and_names_it_after_its_format():
    clean = clean_upload(png_upload("brief.pdf"))
    assert (clean.content_type, clean.filename) == ("image/jpeg", "brief.jpg")
    assert (clean.width, clean.height) == (20, 10)


def test_it_refuses_a_photo_where_only_a_pdf_is_accepted():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(png_upload("brief.pdf"), accept=[PDF])
    assert caught.value.code == "not_pdf"


def test_it_refuses_an_empty_and_a_too_large_file_with_their_codes():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(_upload("leeg.jpg", b""))
    assert caught.value.code == "empty"
    with pytest.raises(UploadRejected) as caught:
        clean_upload(_upload("groot.pdf", tiny_pdf("x") + b" " * 2048), max_bytes=1024)
    assert caught.value.code == "too_large"


def test_it_names_the_file_in_the_message_and_keeps_the_code():
    with pytest.raises(UploadRejected) as caught:
        clean_upload(_upload("foto.jpg", tiny_pdf("Hallo")), accept=[IMAGE])
    named = caught.value.for_file("foto.jpg")
    assert named.code == "not_image"
    assert named.message.startswith("foto.jpg: ")


def test_it_keeps_a_stored_upload_whose_record_is_saved():
    clean = clean_upload(png_upload())
    with stored_upload(clean, prefix="photos") as key:
        pass  # the record pointing at ``key`` is saved here
    assert key.endswith(".jpg") and default_storage.exists(key)
    assert key not in queued_keys()
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert files_delete_pending() == 0
    assert default_storage.exists(key)


def test_it_deletes_stored_uploads_at_once_when_the_save_fails():
    cleans = [clean_upload(png_upload()), None, clean_upload(_upload("a.jpg", tiny_pdf("A")))]
    with pytest.raises(RuntimeError), stored_uploads(cleans, prefix="newsletters") as keys:
        assert keys[1] == ""
        raise RuntimeError("the record could not be saved")
    stored = [keys[0], keys[2]]
    assert set(stored) <= set(queued_keys())
    files_delete_pending()  # no grace: the files were never kept
    assert not any(default_storage.exists(key) for key in stored)
