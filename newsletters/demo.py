"""Demo news: two items and a newsletter PDF, already announced (no e-mails on seeding)."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from daycare.models import Location
from files.keys import new_key
from newsletters.models import Publication
from newsletters.sanitize import clean_body


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF with a line of text (ASCII), built by hand."""
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _publication(title, *, kind, body, locations, days_ago, pdf=None):
    if Publication.objects.filter(title=title).exists():
        return
    now = timezone.now()
    publication = Publication.objects.create(
        kind=kind,
        title=title,
        body=clean_body(body),
        for_all_locations=not locations,
        published_at=now - datetime.timedelta(days=days_ago),
        announced_at=now,
    )
    if pdf:
        publication.pdf_key = default_storage.save(new_key("newsletters", "pdf"), ContentFile(pdf))
        publication.pdf_name = "nieuwsbrief-zonnebloem.pdf"
        publication.save(update_fields=["pdf_key", "pdf_name"])
    publication.locations.set(locations)


def seed(*, today):
    loc1 = Location.objects.get(name="Kindercentrum De Zonnebloem")
    _publication(
        "Sint-Maarten: lampionnen maken",
        kind=Publication.Kind.NEWS,
        body="Volgende week maken we lampionnen.\n\nNeem gerust een lege pot mee.",
        locations=[loc1],
        days_ago=2,
    )
    _publication(
        "Nieuwe openingstijden in de kerstvakantie",
        kind=Publication.Kind.NEWS,
        body="Tussen kerst en oud en nieuw zijn alle locaties tot 17:00 open.",
        locations=[],
        days_ago=6,
    )
    _publication(
        "Nieuwsbrief november",
        kind=Publication.Kind.NEWSLETTER,
        body="",
        locations=[loc1],
        days_ago=10,
        pdf=tiny_pdf("Nieuwsbrief De Zonnebloem - november"),
    )
