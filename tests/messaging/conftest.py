import io

import pytest
from PIL import Image

from messaging.models import Conversation
from newsletters.demo import tiny_pdf


@pytest.fixture(autouse=True)
def _statement_accepted(statement):
    """Every parent of the cast has accepted the privacy statement (R7) in these tests."""
    return statement


@pytest.fixture
def ask(client, login):
    """``ask(user, child, subject, body, **extra)``: a parent starts a conversation over HTTP."""

    def _ask(user, child, subject="Vraag", body="Hallo", files=None):
        login(user)
        data = {"child": child.code, "subject": subject, "body": body}
        if files:
            data["attachments"] = files
        response = client.post("/messaging/new/", data)
        return response, Conversation.objects.filter(child=child, subject=subject).first()

    return _ask


def jpeg_with_exif(size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


# A real one-page PDF: the check parses it (files/uploads.py), a bare catalogue is refused.
PDF = tiny_pdf("Brief")
