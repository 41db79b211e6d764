"""Sending one photo file after the selector said yes (R22): shared by parent and staff views."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from files.delivery import deliver
from photos.models import Photo

SIZES = {"thumb", "display", "original"}


def deliver_photo(photo: Photo, size: str, *, attachment: bool = False):
    key = {"thumb": photo.thumb_key, "display": photo.display_key}.get(size, photo.original_key)
    if not key:
        if size == "thumb":
            # Variants are on their way (Celery): a static placeholder until then.
            response = redirect(static("photos/placeholder.svg"))
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            return response
        key, size = photo.original_key, "original"
    return deliver(
        key,
        filename=photo.filename(size),
        content_type=photo.content_type,
        attachment=attachment,
    )
