"""Sending one photo file after the selector said yes (R22): shared by parent and staff views."""

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from files.delivery import deliver
from photos.models import Photo
from photos.services import render_variants

SIZES = {"thumb", "display", "original"}


def deliver_photo_to_parent(photo: Photo, size: str, *, attachment: bool = False):
    """A photo from ``get_photo_for_parent``: the original with the faces marked "blur"
    pixelated (the face guard, issue 18)."""
    return _deliver(photo, size, photo.parent_original_key, attachment=attachment)


def deliver_photo_to_staff(photo: Photo, size: str, *, attachment: bool = False):
    """A photo from ``get_photo_for_staff``: the group's staff receive the unblurred original."""
    return _deliver(photo, size, photo.original_key, attachment=attachment)


def _deliver(photo: Photo, size: str, original: str, *, attachment: bool):
    key = {"thumb": photo.thumb_key, "display": photo.display_key}.get(size, original)
    if not key:
        if size == "thumb":
            # Variants are on their way (Celery): a static placeholder until then.
            response = redirect(static("photos/placeholder.svg"))
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            return response
        if size == "display":
            return _display_made_now(photo, original)
        key, size = original, "original"
    return deliver(
        key,
        filename=photo.filename(size),
        content_type=photo.content_type,
        attachment=attachment,
    )


def _display_made_now(photo: Photo, original_key: str):
    """The lightbox before the variants exist (a worker behind, or an S3 outage that cost the
    task; the sweeper sends it again): the display size made in this request, never the whole
    original (issue 21). Nothing is stored here; the variants task does that."""

    with default_storage.open(original_key, "rb") as handle:
        rendering = render_variants(handle.read(), photo.content_type)
    response = HttpResponse(rendering.display, content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{photo.filename("display")}"'
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Content-Type-Options"] = "nosniff"
    return response
