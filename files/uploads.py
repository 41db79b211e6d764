"""Uploads are hostile until proven otherwise (DESIGN.md): decode, check, re-encode.

``clean_image`` accepts JPEG, PNG and HEIC by their content (never by name), refuses files over
the size limit and images over the pixel limit (decompression bombs), applies the EXIF
orientation, and re-encodes the pixels into a fresh file that carries no EXIF, GPS, XMP or IPTC.
``clean_pdf`` accepts a PDF by its content. ``clean_upload`` is the one entry point for the
apps: it tells an image from a PDF by the first bytes (never by the name or the type header),
cleans it with the two above and names the result after its real kind. ``stored_upload`` stores
cleaned files crash-safely. Every refusal is an ``UploadRejected``: a ``DomainError`` with a
message a person can act on and a ``code`` callers branch on (never on the translated text).
"""

import io
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.errors import DomainError
from files.services import files_keep, files_queue_deletion, files_store

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise

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


class UploadRejected(DomainError):
    """An upload refused; ``code`` says why (one of ``CODES``), ``message`` says it to a person."""

    CODES = frozenset(
        {
            "too_large",  # over the size limit
            "empty",
            "too_many_pixels",  # a decompression bomb, or just too big an image
            "not_image",  # only an image was accepted, and this is none we can read
            "damaged",  # an image whose header reads but whose pixels do not
            "not_pdf",  # only a PDF was accepted, and this is none
            "pdf_active",  # scripts, launch actions, embedded files, XFA
            "pdf_password",
            "unsupported",  # an image or a PDF was accepted, and this is neither
        }
    )

    def __init__(self, message: "StrOrPromise", *, code: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown upload error code {code!r}")
        super().__init__(message)
        self.code = code

    def for_file(self, name: str) -> "UploadRejected":
        """The same refusal, its message led by the file's name (a form with several files)."""
        return UploadRejected(
            _("%(name)s: %(problem)s") % {"name": name, "problem": self.message}, code=self.code
        )


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


@dataclass
class CleanUpload:
    """A cleaned upload of any kind, named after what its content is (``report.pdf`` for a
    PDF sent as ``report.jpg``)."""

    data: bytes
    content_type: str
    extension: str
    filename: str
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None


IMAGE = "image"
PDF = "pdf"


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


def _read_limited(uploaded: "UploadedFile[Any]", max_bytes: int) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data: bytes = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise UploadRejected(_("The file is empty."), code="empty")
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
                    raise UploadRejected(
                        _("The image has too many pixels."), code="too_many_pixels"
                    )
                probe.verify()
    except Image.DecompressionBombError:
        raise UploadRejected(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(unreadable, code="not_image") from None
    return Image.open(io.BytesIO(data), formats=sorted(ALLOWED_IMAGE_FORMATS))


def clean_image(
    uploaded: "UploadedFile[Any]", *, max_bytes: int = MAX_UPLOAD_BYTES, max_side: int | None = None
) -> CleanImage:
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
        raise UploadRejected(_("The image has too many pixels."), code="too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise UploadRejected(_("The photo is damaged or incomplete."), code="damaged") from None
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


def _pdf_active_entry(key: str | None, value: "Any") -> str | None:
    """The active part that one dictionary entry is (a key, an action or a type), or None."""
    if key in _PDF_ACTIVE_KEYS:
        return key
    if key == "/S" and str(value) in _PDF_ACTIVE_ACTIONS:
        return str(value)
    if key in {"/Type", "/Subtype"} and str(value) in _PDF_ACTIVE_TYPES:
        return str(value)
    return None


def _pdf_entries(obj: "Any") -> list[tuple[Any, Any]]:
    """The (key, value) entries of a dictionary or stream, (None, value) of an array."""
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        return list(obj.items())
    if isinstance(obj, pikepdf.Array):
        return [(None, value) for value in obj]
    return []


def _pdf_visit(obj: "Any", depth: int = 0) -> str | None:
    """The first active part in ``obj`` or its direct (not indirect) parts, or None."""
    import pikepdf

    if depth > 64:  # nested direct objects this deep exist only to exhaust a checker
        return "nesting"
    for key, value in _pdf_entries(obj):
        found = _pdf_active_entry(key, value)
        if not found and isinstance(value, pikepdf.Object) and not value.is_indirect:
            found = _pdf_visit(value, depth + 1)
        if found:
            return found
    return None


def _pdf_active_part(document: "Any") -> str | None:
    """The first active part found in any object of ``document``, or None."""
    # Every indirect object of the file, also those inside object streams; each one's direct
    # parts are walked by _pdf_visit, so every object is visited once.
    for obj in document.objects:
        found = _pdf_visit(obj)
        if found:
            return found
    return _pdf_visit(document.trailer)


def clean_pdf(uploaded: "UploadedFile[Any]", *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """Accept a PDF by its content: the signature at the start, an end-of-file marker, a file
    that parses, and no scripts, launch or submit actions, embedded files or XFA forms in any of
    its objects."""
    import pikepdf

    data = _read_limited(uploaded, max_bytes)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise UploadRejected(_("This file is not a PDF document."), code="not_pdf")
    active = _("This PDF contains scripts or embedded files. Save it again without them.")
    names = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), data)
    if _PDF_ACTIVE.search(names):
        raise UploadRejected(active, code="pdf_active")
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            found = _pdf_active_part(document)
    except pikepdf.PasswordError:
        raise UploadRejected(
            _("This PDF is protected with a password. Save it again without protection."),
            code="pdf_password",
        ) from None
    except (pikepdf.PdfError, RecursionError, ValueError):
        raise UploadRejected(_("This file is not a PDF document."), code="not_pdf") from None
    if found:
        raise UploadRejected(active, code="pdf_active")
    return data


def clean_upload(
    uploaded: "UploadedFile[Any]",
    *,
    accept: Sequence[str] = (IMAGE, PDF),
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_side: int | None = None,
    default_name: str = "file",
) -> CleanUpload:
    """Clean one upload of a kind in ``accept`` (``IMAGE``, ``PDF`` or both), told apart by its
    content; the name and the browser's type header decide nothing. An image is re-encoded
    without metadata (``clean_image``), a PDF checked (``clean_pdf``).

    Refusals are ``UploadRejected``; with both kinds accepted, a file that is neither has code
    ``unsupported``, with one kind ``not_image`` or ``not_pdf``."""
    name = upload_name(uploaded, default=default_name)
    stem = os.path.splitext(name)[0] or name
    if PDF in accept and (IMAGE not in accept or _starts_like_pdf(uploaded)):
        data = clean_pdf(uploaded, max_bytes=max_bytes)
        return CleanUpload(data, "application/pdf", "pdf", f"{stem}.pdf")
    try:
        image = clean_image(uploaded, max_bytes=max_bytes, max_side=max_side)
    except UploadRejected as error:
        if error.code == "not_image" and PDF in accept:
            raise UploadRejected(error.message, code="unsupported") from None
        raise
    return CleanUpload(
        image.data,
        image.content_type,
        image.extension,
        f"{stem}.{image.extension}",
        width=image.width,
        height=image.height,
        taken_at=image.taken_at,
    )


def upload_name(uploaded: "UploadedFile[Any]", *, default: str = "file") -> str:
    """The upload's file name without any folder, at most 150 characters (for messages)."""
    return os.path.basename(getattr(uploaded, "name", "") or "")[:150] or default


def _starts_like_pdf(uploaded: "UploadedFile[Any]") -> bool:
    uploaded.seek(0)
    head: bytes = uploaded.read(5)
    uploaded.seek(0)
    return head == b"%PDF-"


@contextmanager
def stored_uploads(cleans: Sequence[CleanUpload | None], *, prefix: str) -> Iterator[list[str]]:
    """Store cleaned uploads and yield their keys ("" for a None) inside a new transaction that
    has already taken them off the deletion queue: save the records pointing at them in the
    ``with`` block. Call it outside a transaction (``files_store``).

    Crash-safe (DESIGN.md): each file is queued for deletion before it is written; if the block
    raises, the transaction rolls back and the files are queued for deletion at once; if the
    process dies, the reservation left in the queue deletes them later."""

    keys: list[str] = []
    try:
        for clean in cleans:
            key = ""
            if clean is not None:
                key = files_store(prefix=prefix, extension=clean.extension, content=clean.data)
            keys.append(key)
        with transaction.atomic():
            files_keep(keys=keys)
            yield keys
    except BaseException:
        files_queue_deletion(keys=keys)  # the records were not saved: neither are the files
        raise


@contextmanager
def stored_upload(clean: CleanUpload, *, prefix: str) -> Iterator[str]:
    """``stored_uploads`` for one file: ``with stored_upload(clean, prefix="photos") as key:``."""
    with stored_uploads([clean], prefix=prefix) as keys:
        yield keys[0]
