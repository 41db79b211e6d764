"""The photos app's part of the retention schedule (retention/contract.py, R16-R21)."""

from django.db.models import Exists, OuterRef

from consent import projection
from core.db import many_ids
from core.private_apis import delete_rows
from diary.retention import exportable_days
from diary.selectors import day_view
from files.services import files_queue_deletion
from photos.models import Photo, PhotoTag
from photos.selectors import AMSTERDAM, photos_for_export


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    """Delete the photos in which only these children are tagged (with all their files), and
    remove these children's tags from group photos that keep other tagged children."""
    child_ids = list(child_ids)
    if not child_ids:
        return {"photos": 0, "photo tags": 0, "photo files": 0}
    others = PhotoTag.objects.filter(photo_id=OuterRef("pk")).exclude(child_id__in=child_ids)
    doomed = Photo.objects.filter(tags__child_id__in=child_ids).exclude(Exists(others)).distinct()
    rows = list(doomed.values_list("pk", "original_key", "shared_key", "display_key", "thumb_key"))
    keys = [key for row in rows for key in row[1:] if key]
    photo_ids = [row[0] for row in rows]
    # Group photos that keep other tagged children: whether they may be shared changes.
    other_tags = PhotoTag.objects.filter(photo_id=OuterRef("photo_id")).exclude(
        child_id__in=child_ids
    )
    kept = list(
        PhotoTag.objects.filter(child_id__in=child_ids)
        .filter(Exists(other_tags))
        .values_list("photo_id", flat=True)
    )
    # Every tag of a doomed photo is a tag of one of these children, so this removes them all.
    tags_removed, _ = PhotoTag.objects.filter(child_id__in=child_ids).delete()
    # Their tags are gone: one DELETE, without the collector loading every photo first (a
    # database foreign key would still refuse if anything else pointed at them).
    doomed_photos = Photo.objects.filter(pk__in=many_ids(photo_ids))
    delete_rows(doomed_photos)
    files_queue_deletion(keys=keys)
    projection.photos_changed(kept)
    return {"photos": len(photo_ids), "photo tags": tags_removed, "photo files": len(keys)}


def export_child(*, child, user, writer) -> None:
    """The photos of ``child`` shared under the consent rule, in original quality (the file as
    stored, re-encoded at upload), named ``photos/YYYY-MM-DD_HHMM_<n>.jpg`` so that any photo
    program sorts them by when they were taken. A JPEG gets its capture time back in EXIF
    ``DateTimeOriginal`` and a caption in ``ImageDescription`` naming only this child and
    the location, never GPS and never another child (memories). The retention app has already
    decided that ``user`` (a guardian, or customer service for an access request) may export
    this child, who may be archived by now."""
    from django.core.files.storage import default_storage

    location = child.group.location.name if child.group_id else ""
    photos = photos_for_export(child).order_by("taken_at", "pk")
    since = getattr(writer, "since", None)
    if since is not None:
        photos = photos.filter(uploaded_at__gt=since)
    counters: dict[str, int] = {}
    by_day: dict = {}
    for photo in photos.iterator():
        taken = photo.taken_at.astimezone(AMSTERDAM)
        minute = f"{taken:%Y-%m-%d_%H%M}"
        counters[minute] = counters.get(minute, 0) + 1
        path = f"photos/{minute}_{counters[minute]}.{photo.extension}"
        by_day.setdefault(taken.date(), []).append((path, taken))
        if photo.extension not in ("jpg", "jpeg"):
            writer.add_file(path, photo.parent_original_key)  # faces blurred (issue 18)
            continue
        with default_storage.open(photo.parent_original_key, "rb") as source:
            data = source.read()
        caption = " · ".join(
            part for part in (child.first_name, location, f"{taken:%d-%m-%Y %H:%M}") if part
        )
        writer.add_bytes(path, with_exif(data, taken=taken, caption=caption))
    _add_index(child=child, user=user, writer=writer, by_day=by_day)


def _add_index(*, child, user, writer, by_day) -> None:
    """``index.html``: the diary days with their photos, readable offline in any browser
    (relative links into the ZIP, no scripts, no web fonts), in the language of the person
    who asked for it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    days_of_diary = exportable_days(child, user)
    since = getattr(writer, "since", None)
    if since is not None:  # only days with something new
        days_of_diary = days_of_diary.filter(entries__created_at__gt=since).distinct()
    diary = {view.day.date: view for view in map(day_view, days_of_diary)}
    days = sorted(set(by_day) | set(diary))
    if not days:
        return
    with translation.override(getattr(user, "language", None) or "nl"):
        html = render_to_string(
            "photos/export_index.html",
            {
                "child": child,
                "days": [(day, diary.get(day), by_day.get(day, [])) for day in days],
            },
        )
    writer.add_bytes("index.html", html.encode(), pdf=False)


EXIF_IFD = 0x8769
DATE_TIME, IMAGE_DESCRIPTION = 0x0132, 0x010E
DATE_TIME_ORIGINAL, DATE_TIME_DIGITIZED = 0x9003, 0x9004


def with_exif(data: bytes, *, taken, caption: str) -> bytes:
    """The JPEG ``data`` with an EXIF segment holding the capture time and the caption, and
    nothing else: no GPS, no camera. The image data is not touched (no second re-encoding):
    the segment goes in after the JFIF header. Stored originals carry no EXIF (stripped at
    upload), so there is never a second one."""
    from PIL import Image

    if not data.startswith(b"\xff\xd8"):
        return data
    stamp = f"{taken:%Y:%m:%d %H:%M:%S}"
    exif = Image.Exif()
    exif[IMAGE_DESCRIPTION] = caption
    exif[DATE_TIME] = stamp
    exif.get_ifd(EXIF_IFD).update({DATE_TIME_ORIGINAL: stamp, DATE_TIME_DIGITIZED: stamp})
    payload = exif.tobytes()  # b"Exif\0\0" + TIFF
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    at = 2
    if data[2:4] == b"\xff\xe0":  # JFIF APP0 first, as viewers expect
        at = 4 + int.from_bytes(data[4:6], "big")
    return data[:at] + segment + data[at:]
