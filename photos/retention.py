"""The photos app's part of the retention schedule (retention/contract.py, R16-R21)."""

from django.db.models import Exists, OuterRef

from consent import projection
from files.services import files_queue_deletion
from photos.models import Photo, PhotoTag
from photos.selectors import AMSTERDAM, photos_for_export
from portal.db import many_ids


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    """Delete the photos in which only these children are tagged (with all their files), and
    remove these children's tags from group photos that keep other tagged children."""
    child_ids = list(child_ids)
    if not child_ids:
        return {"photos": 0, "photo tags": 0, "photo files": 0}
    others = PhotoTag.objects.filter(photo_id=OuterRef("pk")).exclude(child_id__in=child_ids)
    doomed = Photo.objects.filter(tags__child_id__in=child_ids).exclude(Exists(others)).distinct()
    rows = list(doomed.values_list("pk", "original_key", "display_key", "thumb_key"))
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
    doomed_photos._raw_delete(doomed_photos.db)
    files_queue_deletion(keys=keys)
    projection.photos_changed(kept)
    return {"photos": len(photo_ids), "photo tags": tags_removed, "photo files": len(keys)}


def export_child(*, child, user, writer) -> None:
    """The photos of ``child`` shared under the consent rule, in original quality, by date.
    The retention app has already decided that ``user`` (a guardian, or customer service for
    an access request) may export this child, who may be archived by now."""
    photos = photos_for_export(child).order_by("taken_at", "pk")
    counters: dict[str, int] = {}
    for photo in photos.iterator():
        day = f"{photo.taken_at.astimezone(AMSTERDAM):%Y-%m-%d}"
        counters[day] = counters.get(day, 0) + 1
        writer.add_file(f"photos/{day}/{counters[day]:04d}.{photo.extension}", photo.original_key)
