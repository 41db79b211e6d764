"""Parent pages: a gallery per child, single files, and ZIP downloads (R5, R10, R22).

Every read goes through ``photos.selectors`` (the inner wall); the gallery and ZIP views of one
child also carry ``@consent_gate`` (the outer wall).
"""

import re
from datetime import datetime

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from zipstream import ZipStream

from consent.gate import consent_gate
from consent.models import Purpose
from daycare.access import get_guarded_child_for
from daycare.naming import children_label, own_child_ids
from photos.delivery import SIZES, deliver_photo_to_parent
from photos.seen import mark_photos_seen
from photos.selectors import (
    AMSTERDAM,
    all_photos_of_child,
    get_photo_for_parent,
    month_range,
    photo_months,
    photos_of_child_between,
    with_tagged_children,
)

PAGE_SIZE = 48
MAX_ZIP_PHOTOS = 500
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(value: str | None) -> tuple[int, int] | None:
    match = MONTH_RE.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


@consent_gate(Purpose.PHOTOS)
def gallery(request, child_code):
    """The photos of one child, by month, newest first; a month is paginated."""
    child = get_guarded_child_for(request.user, child_code)
    mark_photos_seen(request)  # the "new photos" badge of the tab bar starts again
    months = photo_months(request.user, child)
    selected = _parse_month(request.GET.get("month"))
    if selected is None and months:
        first = months[0]["month"]
        selected = (first.year, first.month)
    page = None
    if selected:
        start, end = month_range(*selected)
        month_photos = with_tagged_children(
            photos_of_child_between(request.user, child, start, end).order_by("-taken_at", "-pk")
        )
        page = Paginator(month_photos, PAGE_SIZE).get_page(request.GET.get("page"))
        # R26: the alt text names the viewer's own children only ("Daan en 2 andere kinderen").
        own = own_child_ids(request.user)
        for photo in page.object_list:
            photo.children_label = children_label(  # type: ignore[attr-defined]  # for the template
                [tag.child for tag in photo.tags.all()], own_ids=own
            )
    return render(
        request,
        "photos/gallery.html",
        {
            "child": child,
            "months": [
                {
                    "key": f"{row['month']:%Y-%m}",
                    "date": row["month"],
                    "count": row["count"],
                }
                for row in months
            ],
            "selected": f"{selected[0]:04d}-{selected[1]:02d}" if selected else "",
            "selected_date": datetime(*selected, 1) if selected else None,
            "page": page,
            # "Select": the same grid as a choice of photos for a ZIP (no script needed).
            "select": request.GET.get("select") == "1",
        },
    )


def photo_file(request, code, size):
    """One size of one photo for a parent (the parent door); 404 for everyone else."""
    if size not in SIZES:
        raise Http404
    photo = get_photo_for_parent(request.user, code)
    attachment = request.GET.get("download") == "1"
    return deliver_photo_to_parent(photo, "original" if attachment else size, attachment=attachment)


def _zip_response(photos, filename: str):
    stream = ZipStream(sized=False)
    used = set()
    for photo in photos:
        name = f"{timezone.localtime(photo.taken_at, AMSTERDAM):%Y-%m-%d}/{photo.filename()}"
        if name in used:
            continue
        used.add(name)
        stream.add(_read_chunks(photo.parent_original_key), name)  # faces blurred (issue 18)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _read_chunks(key: str, chunk_size: int = 256 * 1024):
    with default_storage.open(key, "rb") as handle:
        while chunk := handle.read(chunk_size):
            yield chunk


@require_POST
@consent_gate(Purpose.PHOTOS)
def download_zip(request, child_code):
    """A ZIP of the chosen photos (codes) or of a month, streamed (zipstream-ng)."""
    child = get_guarded_child_for(request.user, child_code)
    photos = all_photos_of_child(request.user, child)
    codes = request.POST.getlist("photo")
    month = _parse_month(request.POST.get("month"))
    if codes:
        photos = photos.filter(code__in=codes[:MAX_ZIP_PHOTOS])
        label = "selectie"
    elif month:
        start, end = month_range(*month)
        photos = photos_of_child_between(request.user, child, start, end)
        label = f"{month[0]:04d}-{month[1]:02d}"
    else:
        from django.contrib import messages

        messages.error(request, _("Choose one or more photos, or a month, to download."))
        return redirect("photos:gallery", child_code=child.code)
    chosen = list(photos.order_by("taken_at", "pk")[:MAX_ZIP_PHOTOS])
    if not chosen:
        raise Http404
    return _zip_response(chosen, f"fotos-{label}.zip")
