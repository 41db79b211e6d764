import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from newsletters.demo import tiny_pdf
from newsletters.models import Publication


def publication(title="Nieuws", *, locations=(), for_all=False, kind="news", days_ago=0, **kw):
    item = Publication.objects.create(
        title=title,
        kind=kind,
        body=kw.pop("body", "<p>Tekst</p>"),
        for_all_locations=for_all,
        published_at=kw.pop("published_at", timezone.now() - datetime.timedelta(days=days_ago)),
        announced_at=kw.pop("announced_at", timezone.now()),
        **kw,
    )
    item.locations.set(locations)
    return item


def pdf_upload(name="nieuwsbrief.pdf"):
    return SimpleUploadedFile(name, tiny_pdf("Test"), content_type="application/pdf")


def png_upload(name="foto.png"):
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
