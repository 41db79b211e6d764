"""Writes of the photos app: upload, variants, tagging, deletion (R5, R10, R22)."""

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from consent import projection
from consent.models import Purpose
from consent.selectors import children_with_consent
from core.errors import DomainError
from daycare.models import Child, Group
from files.services import files_keep, files_queue_deletion, files_store
from files.uploads import IMAGE, clean_upload, stored_upload
from outbox.services import enqueue
from photos.faces import Box, detect_faces, pixelate
from photos.models import DISPLAY_SIDE, THUMB_SIDE, Photo, PhotoBatch, PhotoFace, PhotoTag
from push.services import push_announce

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

logger = logging.getLogger(__name__)

MAX_BATCH = 30


class UnknownBatch(DomainError):
    reason = "batch"


class BatchFull(DomainError):
    reason = "batch_full"


class HourlyLimit(DomainError):
    reason = "hour"


def photo_batch_start(*, group: Group, worker: "User") -> PhotoBatch:
    """Issue a new upload batch to ``worker`` for ``group`` (issue 19, finding 9): photos can
    only be sent into a batch the server handed out, so the limit of 30 per batch holds."""
    return PhotoBatch.objects.create(group=group, created_by=worker)


def photo_batch_for(*, group: Group, worker: "User", code: str) -> PhotoBatch:
    """The batch ``code`` if the server issued it to ``worker`` for ``group``; one answer for a
    batch that does not exist and one of someone else, so neither can be told apart."""
    batch = PhotoBatch.objects.filter(code=code, group=group, created_by=worker).first()
    if batch is None:
        raise UnknownBatch(_unknown_batch())
    return batch


def _unknown_batch() -> str:
    return _("This upload batch is not known. Reload the page and try again.")


def _check_limits(*, batch: PhotoBatch, uploaded_by: "User") -> None:
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
    *,
    group: Group,
    uploaded_by: "User",
    uploaded_file: "UploadedFile[Any]",
    batch: PhotoBatch,
    upload_token: str = "",
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
    clean = clean_upload(uploaded_file, accept=[IMAGE])
    try:
        with stored_upload(clean, prefix="photos") as key:
            # Parallel requests of one batch queue here, so the count below is exact. A limit
            # reached meanwhile raises, and the stored file goes with the transaction.
            PhotoBatch.objects.select_for_update().filter(pk=batch.pk).first()
            _check_limits(batch=batch, uploaded_by=uploaded_by)
            # An image upload always has its size (files.uploads): width, height not None.
            photo = Photo.objects.create(  # type: ignore[misc]
                group=group,
                uploaded_by=uploaded_by,
                batch=batch.code,
                taken_at=clean.taken_at or timezone.now(),
                original_key=key,
                width=clean.width,
                height=clean.height,
                content_type=clean.content_type,
                upload_token=upload_token,
                held=True,  # until the variants task has looked for faces (issue 18)
            )
            projection.photos_changed([photo.pk])  # untagged: staff may see it (issue 16)
            # Here, not at the top: photos.tasks imports this module (an import cycle).
            from photos.tasks import make_variants_task

            photo_id = photo.pk
            enqueue(make_variants_task, photo_id)
    except IntegrityError:
        # The same file arrived twice at once (a retry while the first was still stored).
        if upload_token and (earlier := _uploaded_before(group, uploaded_by, batch, upload_token)):
            return earlier
        raise
    return photo


def _uploaded_before(
    group: Group, uploaded_by: "User", batch: PhotoBatch, upload_token: str
) -> Photo | None:
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


@dataclass
class Rendering:
    """What the variants task makes of an original: the display size and thumbnail, the face
    boxes found (when asked), and the full-size file parents receive when faces are blurred."""

    display: bytes
    thumb: bytes
    size: tuple[int, int]
    faces: list[Box] = field(default_factory=list)
    shared: bytes = b""


def render_variants(
    data: bytes, content_type: str, *, detect: bool = False, blur: Iterable[Box] = ()
) -> Rendering:
    """Display (~1600 px) and thumbnail (~400 px) from a clean original. JPEG decoding uses
    ``draft()`` to the real target box (TECH-NOTES: half the time and memory); the original is
    already upright and metadata-free, so nothing is copied over.

    ``detect``: also find the faces, on the display-sized image (photos/faces.py; it adds
    about 40 % to this function's time for a 12 MP photo, bench/faces.py). ``blur``: boxes to
    pixelate; then the full original is decoded and pixelated first, returned as ``shared``, and
    both variants are made from it, so no file a parent receives holds the blurred faces."""
    blur = list(blur)
    image: Image.Image  # the opened file, then the pixelated and resized copies
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        scale = min(1.0, DISPLAY_SIDE / max(width, height))
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        shared = b""
        if blur:
            image.load()
            image = pixelate(image, blur)
            shared = _encode(image.copy(), content_type)
        elif image.format == "JPEG":
            image.draft("RGB", target)
        image.load()
        if image.size != target:
            # reducing_gap: a cheap integer reduce() first, then LANCZOS on the small rest.
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        faces = detect_faces(image) if detect else []
        display = _encode(image, content_type)
        thumb_image = image.copy()
        thumb_image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        thumb = _encode(thumb_image, content_type)
    return Rendering(display, thumb, target, faces, shared)


def dominant_colour(thumb: bytes) -> str:
    """The average colour of the thumbnail as ``#rrggbb``: the placeholder a page shows while
    the photo loads (issue 17). A box filter to one pixel of the 400 px thumbnail: ~1 ms."""
    with Image.open(io.BytesIO(thumb)) as image:
        # An RGB image's pixel is a tuple (getpixel is typed for every mode).
        red, green, blue = (
            image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))  # type: ignore[misc]
        )
    return f"#{red:02x}{green:02x}{blue:02x}"


def _rendered(photo: Photo) -> bool:
    """Nothing owed: variants made, the blur rendered as decided, the faces looked for (a photo
    uploaded before the face guard existed is checked once by the sweeper, then held if its
    faces outnumber its tags)."""
    return photo.has_variants and photo.blur_rendered == photo.blur_version and photo.faces_checked


def photo_make_variants(*, photo_id: int) -> bool:
    """Make the display size and thumbnail of a photo, find its faces the first time (the face
    guard, issue 18) and render the faces marked "blur" pixelated. Idempotent; safe against a
    deletion or a new blur decision that happens meanwhile (the new files are then queued for
    deletion and the newer decision's own task renders again)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or _rendered(photo):
        return False
    version = photo.blur_version
    blur = [face.box for face in photo.faces.filter(decision=PhotoFace.Decision.BLUR)]
    with default_storage.open(photo.original_key, "rb") as handle:
        data = handle.read()
    rendering = render_variants(data, photo.content_type, detect=not photo.faces_checked, blur=blur)
    colour = dominant_colour(rendering.thumb)
    # Stored crash-safely: a worker killed before the update below leaves the keys queued.
    new_keys = [
        files_store(prefix="photos", extension=photo.extension, content=content)
        for content in (rendering.display, rendering.thumb)
    ]
    if rendering.shared:
        new_keys.append(
            files_store(prefix="photos", extension=photo.extension, content=rendering.shared)
        )
    with transaction.atomic():
        _photos_changed([photo_id])  # locks in the projection's order: children, then photo
        current = Photo.objects.select_for_update().filter(pk=photo_id).first()
        if current is None or current.blur_version != version or _rendered(current):
            files_queue_deletion(keys=new_keys)
            return False
        files_keep(keys=new_keys)
        old = [key for key in (current.display_key, current.thumb_key, current.shared_key) if key]
        current.display_key, current.thumb_key = new_keys[:2]
        current.shared_key = new_keys[2] if rendering.shared else ""
        current.blur_rendered = version
        current.colour = colour
        fields = ["display_key", "thumb_key", "shared_key", "blur_rendered", "colour"]
        if not current.faces_checked:
            PhotoFace.objects.bulk_create(
                PhotoFace(photo=current, x=box.x, y=box.y, w=box.w, h=box.h)
                for box in rendering.faces
            )
            current.faces_checked = True
            fields.append("faces_checked")
        current.save(update_fields=fields)
        files_queue_deletion(keys=old)
        _guard(current)
    return True


def photo_tags_set(*, photo: Photo, children: list[Child], tagged_by: "User") -> None:
    """Replace the tags of a photo. Only children of the photo's group who have photo consent
    can be tagged (R5); anything else refuses the whole change.

    A tag of a child without photo consent stays (its checkbox is disabled, so a form never
    sends it): it is what withholds the photo, and staff cannot see a withheld photo to check
    that the child is not on it. Removing it would share the photo with the other tagged
    children's parents unseen (R5, issue 5); such a photo is deleted instead."""

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
        _guard(photo)  # the face guard counts tags; it updates the projection too
        if wanted - current:  # one push per upload batch and child, not per photo (push app)
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


# The face guard (issue 18) ------------------------------------------------------------------


def _guard(photo: Photo) -> None:
    """Recompute whether the face guard holds ``photo`` from parents: while its faces have not
    been looked for yet (set at upload), while its blurred rendering is not made yet, or while
    it shows more faces than tagged children and a face is still unreviewed. Then the consent
    projection, which reads ``held``, is brought up to date in the same transaction."""
    photo = Photo.objects.get(pk=photo.pk)
    # A face that is blurred or not a child needs no tag; the others each need one.
    faces = photo.faces.exclude(
        decision__in=[PhotoFace.Decision.NOT_CHILD, PhotoFace.Decision.BLUR]
    )
    pending = faces.filter(decision=PhotoFace.Decision.PENDING).exists()
    held = (
        (photo.held and not photo.faces_checked)  # uploaded, faces not looked for yet
        or photo.blur_rendered != photo.blur_version
        or (pending and faces.count() > photo.tags.count())
    )
    if held != photo.held:
        photo.held = held
        Photo.objects.filter(pk=photo.pk).update(held=held)
    _photos_changed([photo.pk])


def _photos_changed(photo_ids: list[int]) -> None:
    projection.photos_changed(photo_ids)


def _locked(photo: Photo) -> Photo:
    """``photo`` locked in the projection's order (its tagged children first, then the photo:
    consent/projection.py), fresh from the database."""
    _photos_changed([photo.pk])
    locked = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if locked is None:
        raise DomainError(_("This photo no longer exists."))
    return locked


def photo_face_draw(*, photo: Photo, box: Box, drawn_by: "User") -> PhotoFace:
    """A face the detector missed, drawn by a worker: it counts like a detected one."""
    box = box.clamped()
    if box.w < 0.01 or box.h < 0.01:
        raise DomainError(_("Draw a box around the face: this one is too small."))
    with transaction.atomic():
        locked = _locked(photo)
        face = PhotoFace.objects.create(
            photo=locked,
            x=box.x,
            y=box.y,
            w=box.w,
            h=box.h,
            source=PhotoFace.Source.DRAWN,
            decided_by=drawn_by,
        )
        _guard(locked)
    return face


def _face_decision_child(
    *, photo: Photo, face: PhotoFace, decision: str, child: Child | None
) -> Child | None:
    """The child a face decision is about (None for "not a child"), or DomainError when the
    decision cannot be made."""
    if decision not in PhotoFace.Decision.values or decision == PhotoFace.Decision.PENDING:
        raise DomainError(_("Choose what this face is."))
    if face.photo_id != photo.pk:
        raise DomainError(_("This face is not on this photo."))
    if decision == PhotoFace.Decision.CHILD and child is None:
        raise DomainError(_("Choose the child whose face this is."))
    if decision == PhotoFace.Decision.NOT_CHILD:
        return None
    if child is not None and (child.group_id != photo.group_id or child.archived_at):
        raise DomainError(_("Only children of this photo's group can be tagged."))
    return child


def _face_tag(photo: Photo, child: Child, *, blurred: bool, by: "User") -> None:
    """Tag ``child`` in ``photo`` (if not yet), blurred or not as the face decision says."""
    tag, _created = PhotoTag.objects.get_or_create(
        photo=photo, child=child, defaults={"tagged_by": by}
    )
    if tag.blurred != blurred:
        PhotoTag.objects.filter(pk=tag.pk).update(blurred=blurred)


def photo_face_decide(
    *, photo: Photo, face: PhotoFace, decision: str, child: Child | None, decided_by: "User"
) -> None:
    """A worker's decision about one face box: a tagged child (tags the child, who must have
    photo consent), "blur" (the region is pixelated in every file parents receive; with a
    child, that child's tag stops blocking the photo and gives their guardians nothing) or
    "not a child" (an adult, a poster). A change of blur renders the files again; the photo is
    held from parents until that is done."""

    child = _face_decision_child(photo=photo, face=face, decision=decision, child=child)
    with transaction.atomic():
        locked = _locked(photo)
        face = PhotoFace.objects.select_for_update().get(pk=face.pk)
        was_blur = face.decision == PhotoFace.Decision.BLUR
        if (
            decision == PhotoFace.Decision.CHILD
            and child is not None  # checked above: a face of a child names the child
            and not children_with_consent(Purpose.PHOTOS).filter(pk=child.pk).exists()
        ):
            raise DomainError(
                _("This child has no photo consent: blur the face instead, or delete the photo.")
            )
        if child is not None:
            _face_tag(locked, child, blurred=decision == PhotoFace.Decision.BLUR, by=decided_by)
        if was_blur and face.child_id and face.child_id != getattr(child, "pk", None):
            # The face was another child's, blurred: that child's tag counts in full again.
            PhotoTag.objects.filter(photo=locked, child_id=face.child_id).update(blurred=False)
        face.decision, face.child = decision, child
        face.decided_by, face.decided_at = decided_by, timezone.now()
        face.save(update_fields=["decision", "child", "decided_by", "decided_at"])
        if was_blur or decision == PhotoFace.Decision.BLUR:
            locked.blur_version += 1
            locked.save(update_fields=["blur_version"])
            # Here, not at the top: photos.tasks imports this module (an import cycle).
            from photos.tasks import make_variants_task

            enqueue(make_variants_task, locked.pk)
        _guard(locked)
