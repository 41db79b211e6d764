"""Uploads are hostile until proven otherwise (DESIGN.md): decode, check, re-encode.

``clean_image`` accepts JPEG, PNG and HEIC by their content (never by name), refuses files over
the size limit and images over the pixel limit (decompression bombs), applies the EXIF
orientation, and re-encodes the pixels into a fresh file that carries no EXIF, GPS, XMP or IPTC.
``clean_pdf`` accepts a PDF by its content. Both raise ``UploadRejected`` with a message a
person can act on.
"""

import io
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

try:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    HEIF_AVAILABLE = False

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = (
    50_000_000  # a 12 MP phone photo is 12,000,000; refuse bombs well before memory runs out
)
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "HEIF"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class UploadRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    # When the camera says the photo was taken (EXIF DateTimeOriginal, read before the metadata
    # is dropped; local time of the daycare). None when absent or implausible.
    taken_at: datetime | None = None


_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_DATETIME = 306


def _taken_at(image: Image.Image) -> datetime | None:
    try:
        exif = image.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
        if not raw:
            return None
        value = datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except Exception:  # a broken EXIF block only loses the date
        return None
    value = value.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    if not (datetime(2000, 1, 1, tzinfo=value.tzinfo) <= value <= datetime.now(value.tzinfo)):
        return None
    return value


def _read_limited(uploaded, max_bytes: int) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise UploadRejected(_("The file is empty."))
    return data


def open_image(data: bytes) -> Image.Image:
    """Open and verify an image from bytes; refuse anything that is not JPEG, PNG or HEIC."""
    unreadable = _("This file is not a photo we can read. Use a JPEG, PNG or HEIC file.")
    # A truncated file is refused, whatever else runs in this process: WeasyPrint (the export
    # PDFs) turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when it is imported.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        # Only the formats we accept are even tried, so no other decoder sees the bytes.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            with Image.open(io.BytesIO(data), formats=sorted(ALLOWED_IMAGE_FORMATS)) as probe:
                width, height = probe.size
                # The header decides: refuse a decompression bomb before decoding any pixel.
                if width * height > MAX_PIXELS:
                    raise UploadRejected(_("The image has too many pixels."))
                probe.verify()
    except Image.DecompressionBombError:
        raise UploadRejected(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(unreadable) from None
    return Image.open(io.BytesIO(data), formats=sorted(ALLOWED_IMAGE_FORMATS))


def clean_image(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES, max_side: int | None = None):
    """Decode, check and re-encode an uploaded image; returns a ``CleanImage`` without metadata."""
    data = _read_limited(uploaded, max_bytes)
    image = open_image(data)
    taken_at = _taken_at(image)
    try:
        if max_side and image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
        image.load()
        image = ImageOps.exif_transpose(image)
        if max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    except Image.DecompressionBombError:
        raise UploadRejected(_("The image has too many pixels.")) from None
    except (OSError, SyntaxError, ValueError):
        raise UploadRejected(_("The photo is damaged or incomplete.")) from None
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    image = image.convert("RGBA" if has_alpha else "RGB")
    # Pillow writes what is left in ``info`` back out (a JPEG comment, for one): keep nothing
    # of the source file but its pixels.
    image.info.clear()
    if has_alpha:
        image.save(out, "PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        # Baseline, not progressive: the variants task decodes this file again, and a
        # progressive JPEG takes twice as long to decode and to encode here for 8 % fewer
        # bytes (bench/photos_variants.py, docs/performance.md).
        image.save(out, "JPEG", quality=88, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return CleanImage(
        out.getvalue(), content_type, extension, image.width, image.height, taken_at=taken_at
    )


# PDF checks (issue 19, finding 3; ASVS 5.4.3). The document is parsed with pikepdf (qpdf),
# which reads every object, the ones packed into compressed object streams included, with names
# decoded (``/J#61vaScript`` is ``/JavaScript``). A PDF is refused when any object carries
# JavaScript, an action that starts a program, sends or imports form data or opens an embedded
# document, an embedded file, rich media or an XFA form. The byte search below stays as a second
# wall for objects outside the cross-reference table that a lenient reader might still find.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
)
_PDF_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
    }
)
_PDF_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Movie"})


def _pdf_active_part(document) -> str | None:
    """The first active part found in any object of ``document``, or None."""
    import pikepdf

    def visit(obj, depth=0) -> str | None:
        if depth > 64:  # nested direct objects this deep exist only to exhaust a checker
            return "nesting"
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key, value in obj.items():
                if key in _PDF_ACTIVE_KEYS:
                    return key
                if key == "/S" and str(value) in _PDF_ACTIVE_ACTIONS:
                    return str(value)
                if key in {"/Type", "/Subtype"} and str(value) in _PDF_ACTIVE_TYPES:
                    return str(value)
                if isinstance(value, pikepdf.Object) and not value.is_indirect:
                    found = visit(value, depth + 1)
                    if found:
                        return found
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                if isinstance(value, pikepdf.Object) and not value.is_indirect:
                    found = visit(value, depth + 1)
                    if found:
                        return found
        return None

    # Every indirect object of the file, also those inside object streams; each one's direct
    # parts are walked above, so every object is visited once.
    for obj in document.objects:
        found = visit(obj)
        if found:
            return found
    found = visit(document.trailer)
    return found


def clean_pdf(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """Accept a PDF by its content: the signature at the start, an end-of-file marker, a file
    that parses, and no scripts, launch or submit actions, embedded files or XFA forms in any of
    its objects."""
    import pikepdf

    data = _read_limited(uploaded, max_bytes)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise UploadRejected(_("This file is not a PDF document."))
    active = _("This PDF contains scripts or embedded files. Save it again without them.")
    names = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), data)
    if _PDF_ACTIVE.search(names):
        raise UploadRejected(active)
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            found = _pdf_active_part(document)
    except pikepdf.PasswordError:
        raise UploadRejected(
            _("This PDF is protected with a password. Save it again without protection.")
        ) from None
    except (pikepdf.PdfError, RecursionError, ValueError):
        raise UploadRejected(_("This file is not a PDF document.")) from None
    if found:
        raise UploadRejected(active)
    return data
