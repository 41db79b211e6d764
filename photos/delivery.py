"""Sending one photo file after the selector said yes (R22): shared by parent and staff views."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from files.delivery import deliver
from photos.models import Photo

SIZES = {"thumb", "display", "original"}


def deliver_photo(photo: Photo, size: str, *, attachment: bool = False, staff: bool = False):
    """``staff``: the group's staff receive the unblurred original; everyone else the original
    with the faces marked "blur" pixelated (the face guard, issue 18)."""
    original = photo.original_key if staff else photo.parent_original_key
    key = {"thumb": photo.thumb_key, "display": photo.display_key}.get(size, original)
    if not key:
        if size == "thumb":
            # Variants are on their way (Celery): a static placeholder until then.
            response = redirect(static("photos/placeholder.svg"))
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            return response
        key, size = original, "original"
    return deliver(
        key,
        filename=photo.filename(size),
        content_type=photo.content_type,
        attachment=attachment,
    )
