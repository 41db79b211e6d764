"""Writes of the photos app: upload, variants, tagging, deletion (R5, R10, R22)."""

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from consent import projection
from daycare.models import Child, Group
from files.services import files_keep, files_queue_deletion, files_store
from files.uploads import UploadRejected, clean_image
from outbox.services import enqueue
from photos.models import DISPLAY_SIDE, THUMB_SIDE, Photo, PhotoBatch, PhotoTag
from portal.errors import DomainError

logger = logging.getLogger(__name__)

MAX_BATCH = 30


class UnknownBatch(DomainError):
    reason = "batch"


class BatchFull(DomainError):
    reason = "batch_full"


class HourlyLimit(DomainError):
    reason = "hour"


def photo_batch_start(*, group: Group, worker) -> PhotoBatch:
    """Issue a new upload batch to ``worker`` for ``group`` (issue 19, finding 9): photos can
    only be sent into a batch the server handed out, so the limit of 30 per batch holds."""
    return PhotoBatch.objects.create(group=group, created_by=worker)


def photo_batch_for(*, group: Group, worker, code: str) -> PhotoBatch:
    """The batch ``code`` if the server issued it to ``worker`` for ``group``; one answer for a
    batch that does not exist and one of someone else, so neither can be told apart."""
    batch = PhotoBatch.objects.filter(code=code, group=group, created_by=worker).first()
    if batch is None:
        raise UnknownBatch(_unknown_batch())
    return batch


def _unknown_batch() -> str:
    return _("This upload batch is not known. Reload the page and try again.")


def _check_limits(*, batch: PhotoBatch, uploaded_by) -> None:
    if Photo.objects.filter(batch=batch.code).count() >= MAX_BATCH:
        raise BatchFull(
            ngettext(
                "At most %(n)d photo can be uploaded in one batch. Start a new batch.",
                "At most %(n)d photos can be uploaded in one batch. Start a new batch.",
                MAX_BATCH,
            )
            % {"n": MAX_BATCH}
        )
    per_hour = settings.PHOTOS_UPLOADS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if Photo.objects.filter(uploaded_by=uploaded_by, uploaded_at__gt=since).count() >= per_hour:
        raise HourlyLimit(
            ngettext(
                "You have uploaded %(n)d photo in the past hour, the most allowed. "
                "Try again later.",
                "You have uploaded %(n)d photos in the past hour, the most allowed. "
                "Try again later.",
                per_hour,
            )
            % {"n": per_hour}
        )


def photo_upload(
    *, group: Group, uploaded_by, uploaded_file, batch: PhotoBatch, upload_token: str = ""
) -> Photo:
    """Clean one uploaded file and store it as a photo of ``group`` (one file, one request:
    a failure later in the batch loses nothing stored). The stored original is the re-encoded
    image without any metadata, never the upload's bytes; variants follow in a task.

    ``batch`` is one the server issued (``photo_batch_start``) to this worker for this group;
    it holds at most ``MAX_BATCH`` photos and a worker uploads at most
    ``settings.PHOTOS_UPLOADS_PER_HOUR`` in any hour; a refusal stores nothing.
    ``upload_token`` is the page's random id for this file: sent again (the answer to the first
    request was lost and the tablet retries), it returns the photo stored the first time, even
    when the batch or the hour is full by now."""
    if (batch.group_id, batch.created_by_id) != (group.pk, uploaded_by.pk):
        raise UnknownBatch(_unknown_batch())
    if upload_token and (earlier := _uploaded_before(group, uploaded_by, batch, upload_token)):
        return earlier
    _check_limits(batch=batch, uploaded_by=uploaded_by)  # cheap, before decoding the file
    try:
        clean = clean_image(uploaded_file)
    except UploadRejected as error:
        raise DomainError(error.message) from None
    key = files_store(prefix="photos", extension=clean.extension, content=clean.data)
    try:
        with transaction.atomic():
            # Parallel requests of one batch queue here, so the count below is exact.
            PhotoBatch.objects.select_for_update().filter(pk=batch.pk).first()
            _check_limits(batch=batch, uploaded_by=uploaded_by)
            files_keep(keys=[key])
            photo = Photo.objects.create(
                group=group,
                uploaded_by=uploaded_by,
                batch=batch.code,
                taken_at=clean.taken_at or timezone.now(),
                original_key=key,
                width=clean.width,
                height=clean.height,
                content_type=clean.content_type,
                upload_token=upload_token,
            )
            projection.photos_changed([photo.pk])  # untagged: staff may see it (issue 16)
            from photos.tasks import make_variants_task

            photo_id = photo.pk
            enqueue(make_variants_task, photo_id)
    except IntegrityError:
        # The same file arrived twice at once (a retry while the first was still stored).
        files_queue_deletion(keys=[key])
        if upload_token and (earlier := _uploaded_before(group, uploaded_by, batch, upload_token)):
            return earlier
        raise
    except Exception:
        # The record never came to be (a limit reached meanwhile included): no file stays.
        files_queue_deletion(keys=[key])
        raise
    return photo


def _uploaded_before(group, uploaded_by, batch: PhotoBatch, upload_token: str) -> Photo | None:
    earlier = Photo.objects.filter(batch=batch.code, upload_token=upload_token).first()
    if earlier is None:
        return None
    if (earlier.group_id, earlier.uploaded_by_id) != (group.pk, uploaded_by.pk):
        raise DomainError(_("This upload belongs to someone else. Reload the page and try again."))
    return earlier


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    image.info.clear()  # no comment or other metadata of the source goes out (see clean_image)
    if content_type == "image/png":
        image.save(out, "PNG", optimize=False, compress_level=6)
    else:
        # Plain baseline JPEG: optimize/progressive cost ~25 % more time for ~3 % fewer bytes.
        image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


def render_variants(data: bytes, content_type: str) -> tuple[bytes, bytes, tuple[int, int]]:
    """Display (~1600 px) and thumbnail (~400 px) from a clean original. JPEG decoding uses
    ``draft()`` to the real target box (TECH-NOTES: half the time and memory); the original is
    already upright and metadata-free, so nothing is copied over."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        scale = min(1.0, DISPLAY_SIDE / max(width, height))
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        if image.format == "JPEG":
            image.draft("RGB", target)
        image.load()
        if image.size != target:
            # reducing_gap: a cheap integer reduce() first, then LANCZOS on the small rest.
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        display = _encode(image, content_type)
        thumb_image = image.copy()
        thumb_image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        thumb = _encode(thumb_image, content_type)
    return display, thumb, target


def dominant_colour(thumb: bytes) -> str:
    """The average colour of the thumbnail as ``#rrggbb``: the placeholder a page shows while
    the photo loads (issue 17). A box filter to one pixel of the 400 px thumbnail: ~1 ms."""
    with Image.open(io.BytesIO(thumb)) as image:
        red, green, blue = (
            image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        )
    return f"#{red:02x}{green:02x}{blue:02x}"


def photo_make_variants(*, photo_id: int) -> bool:
    """Make the display size and thumbnail of a photo. Idempotent; safe against a deletion
    that happens meanwhile (the new files are then queued for deletion too)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.has_variants:
        return False
    with default_storage.open(photo.original_key, "rb") as handle:
        data = handle.read()
    display, thumb, _size = render_variants(data, photo.content_type)
    colour = dominant_colour(thumb)
    # Stored crash-safely: a worker killed before the update below leaves the keys queued.
    display_key = files_store(prefix="photos", extension=photo.extension, content=display)
    thumb_key = files_store(prefix="photos", extension=photo.extension, content=thumb)
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo_id).first()
        if current is None or current.has_variants:
            files_queue_deletion(keys=[display_key, thumb_key])
            return False
        files_keep(keys=[display_key, thumb_key])
        old = [key for key in (current.display_key, current.thumb_key) if key]
        current.display_key, current.thumb_key = display_key, thumb_key
        current.colour = colour
        current.save(update_fields=["display_key", "thumb_key", "colour"])
        files_queue_deletion(keys=old)
    return True


def photo_tags_set(*, photo: Photo, children: list[Child], tagged_by) -> None:
    """Replace the tags of a photo. Only children of the photo's group who have photo consent
    can be tagged (R5); anything else refuses the whole change.

    A tag of a child without photo consent stays (its checkbox is disabled, so a form never
    sends it): it is what withholds the photo, and staff cannot see a withheld photo to check
    that the child is not on it. Removing it would share the photo with the other tagged
    children's parents unseen (R5, issue 5); such a photo is deleted instead."""
    from consent.models import Purpose
    from consent.selectors import children_with_consent

    wanted = {child.pk for child in children}
    allowed_children = Child.objects.filter(
        group_id=photo.group_id, archived_at__isnull=True, pk__in=wanted
    )
    allowed = set(allowed_children.values_list("pk", flat=True))
    if wanted - allowed:
        raise DomainError(_("Only children of this photo's group can be tagged."))
    with transaction.atomic():
        current = set(PhotoTag.objects.filter(photo=photo).values_list("child_id", flat=True))
        consented = set(
            children_with_consent(Purpose.PHOTOS)
            .filter(pk__in=wanted | current)
            .values_list("pk", flat=True)
        )
        if wanted - current - consented:
            raise DomainError(
                _(
                    "A child without photo consent cannot be tagged. "
                    "Remove the photo if they are on it."
                )
            )
        wanted |= current - consented
        PhotoTag.objects.filter(photo=photo, child_id__in=current - wanted).delete()
        PhotoTag.objects.bulk_create(
            [
                PhotoTag(photo=photo, child_id=child_id, tagged_by=tagged_by)
                for child_id in wanted - current
            ],
            ignore_conflicts=True,
        )
        projection.photos_changed([photo.pk])
        if wanted - current:  # one push per upload batch and child, not per photo (push app)
            from push.services import push_announce

            push_announce(
                kind="photos",
                key=f"photos:{photo.batch}",
                child_ids=sorted(wanted - current),
                ref=photo.batch,
            )


def photo_delete(*, photo: Photo) -> None:
    """Delete a photo, its tags and all its files, crash-safely (DESIGN.md)."""
    with transaction.atomic():
        locked = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if locked is None:
            return
        keys = locked.storage_keys()
        locked.delete()
        files_queue_deletion(keys=keys)
