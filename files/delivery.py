"""Hand a checked file to the person: the only way a stored file leaves the portal (R22).

Call ``deliver(...)`` only after the view has checked access and consent. Depending on
``MEDIA_DELIVERY`` the file is streamed by Django (embedded default), handed to the web server
with X-Accel-Redirect (nginx serves an ``internal`` location), or redirected to a signed S3 URL
that lives ``MEDIA_SIGNED_URL_SECONDS`` (10 by default). Every answer carries
``Cache-Control: private, no-store``.
"""

import mimetypes
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

if TYPE_CHECKING:
    pass


def _no_store[R: HttpResponseBase](response: R) -> R:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(filename: str, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def deliver(
    key: str,
    *,
    filename: str,
    content_type: str | None = None,
    attachment: bool = False,
    storage: Any = None,  # the default storage; S3 URLs take parameters
) -> HttpResponseBase:
    storage = storage or default_storage
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    mode = settings.MEDIA_DELIVERY
    if mode == "signed-url":
        url = storage.url(
            key,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": _disposition(filename, attachment),
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.MEDIA_SIGNED_URL_SECONDS,
        )
        return _no_store(HttpResponseRedirect(url))
    if mode == "x-accel":
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX.rstrip("/") + "/" + quote(key)
        response["Content-Disposition"] = _disposition(filename, attachment)
        return _no_store(response)
    try:
        handle = storage.open(key, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename, attachment)
    return _no_store(response)
