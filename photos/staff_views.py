"""Staff pages: upload from a tablet, tag the children, delete (R5, R10)."""

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_log
from consent.models import Purpose
from consent.selectors import ConsentState, consent_states
from core.errors import DomainError
from daycare.access import get_group_for
from daycare.models import Child
from photos import services
from photos.delivery import SIZES, deliver_photo_to_staff
from photos.forms import PhotoTagsForm
from photos.models import PhotoFace
from photos.selectors import (
    get_managed_photo_for,
    get_photo_for_staff,
    photos_managed_by,
    with_tagged_children,
)

BATCH_RE = re.compile(r"^[A-Za-z0-9_-]{16}$")
UPLOAD_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # upload.js: one per file
PAGE_SIZE = 30


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _refusal(problem: DomainError) -> JsonResponse:
    reason = getattr(problem, "reason", "file")
    return JsonResponse(
        {"ok": False, "error": problem.message, "reason": reason},
        status=429 if reason == "hour" else 400,
    )


def _queue_messages() -> dict:
    """The words of the upload queue (upload.js, upload-queue.js), in the page's language."""
    return {
        "waiting": pgettext("upload state", "Waiting"),
        "sending": pgettext("upload state", "Sending"),
        "done": pgettext("upload state", "Done"),
        "failed": pgettext("upload state", "Failed"),
        "network": _("No connection: tried again as soon as there is one."),
        "retryIn": _("Next try in %(seconds)s s."),
        "server": _("The portal could not store this photo just now. Try it again later."),
        "session": _("Your session has ended. Log in again and open this page: the photo is kept."),
        "otherUser": _("Someone else chose this photo on this device. Remove it here."),
        "retry": _("Try again"),
        "remove": _("Remove"),
        "tag": _("Tag the children in these photos"),
        "progress": _("Uploaded"),
        "summary": _("%(done)s of %(total)s photos stored."),
        "notImage": _("%(name)s is not a photo and was left out."),
    }


def upload(request, group_code):
    """The upload page; its form and script send to ``upload_post`` at the same address."""
    if request.method == "POST":
        return upload_post(request, group_code)
    group = get_group_for(request.user, group_code)
    return render(
        request,
        "photos/staff/upload.html",
        {"group": group, "max_batch": services.MAX_BATCH, "queue_messages": _queue_messages()},
    )


@require_POST
def upload_post(request, group_code):
    """One file into a batch the server issued (the page's script, one request per file, see
    ``start_batch``) or several at once (the form without script, at most 30, into a new batch
    of their own)."""
    group = get_group_for(request.user, group_code)
    script = _wants_json(request)
    files = request.FILES.getlist("photos")
    error = _upload_request_error(request, files, script=script)
    if error:
        if script:
            return JsonResponse({"ok": False, "error": error, "reason": "request"}, status=400)
        messages.error(request, error)
        return redirect("photos_staff:upload", group_code=group.code)
    try:
        batch = _upload_batch(request, group)
    except DomainError as problem:
        if script:
            return _refusal(problem)
        messages.error(request, problem.message)
        return redirect("photos_staff:upload", group_code=group.code)
    stored, refused = _store_photos(request, group, batch, files)
    if script:
        return (
            _refusal(refused[0]) if refused else JsonResponse({"ok": True, "photo": stored[0].code})
        )
    return _upload_done(request, group, batch, stored, refused)


def _upload_request_error(request, files, *, script: bool) -> str | None:
    """What is wrong with the request itself, before any file is looked at."""
    batch_code = request.POST.get("batch", "")
    upload_token = request.POST.get("upload", "")
    if (script or batch_code) and not BATCH_RE.match(batch_code):
        return _("The upload batch is missing. Reload the page and try again.")
    if upload_token and (len(files) != 1 or not UPLOAD_TOKEN_RE.match(upload_token)):
        return _("The upload is not valid. Reload the page and try again.")
    if not files:
        return _("Choose one or more photos.")
    if len(files) > services.MAX_BATCH:
        return ngettext(
            "Choose at most %(n)d photo at a time.",
            "Choose at most %(n)d photos at a time.",
            services.MAX_BATCH,
        ) % {"n": services.MAX_BATCH}
    return None


def _upload_batch(request, group):
    """The batch the page's script was given, or a new one for the form without script."""
    batch_code = request.POST.get("batch", "")
    if batch_code:
        return services.photo_batch_for(group=group, worker=request.user, code=batch_code)
    return services.photo_batch_start(group=group, worker=request.user)


def _store_photos(request, group, batch, files) -> tuple[list, list[DomainError]]:
    stored, refused = [], []
    for uploaded in files:
        try:
            photo = services.photo_upload(
                group=group,
                uploaded_by=request.user,
                uploaded_file=uploaded,
                batch=batch,
                upload_token=request.POST.get("upload", ""),
            )
        except DomainError as problem:
            refused.append(problem)
        else:
            stored.append(photo)
    return stored, refused


def _upload_done(request, group, batch, stored, refused):
    """The form without script: say what was stored and refused, then on to tagging."""
    if stored:
        messages.success(
            request,
            ngettext("%(n)d photo uploaded.", "%(n)d photos uploaded.", len(stored))
            % {"n": len(stored)},
        )
    for message in dict.fromkeys(problem.message for problem in refused):
        messages.error(request, message)
    if not stored:
        return redirect("photos_staff:upload", group_code=group.code)
    return redirect(_tag_url(group, batch.code))


@require_POST
def start_batch(request, group_code):
    """A new upload batch for the page's script (issue 19, finding 9): the server chooses it."""
    group = get_group_for(request.user, group_code)
    batch = services.photo_batch_start(group=group, worker=request.user)
    return JsonResponse(
        {
            "ok": True,
            "batch": batch.code,
            "tag_url": _tag_url(group, batch.code),
            # The queue in the browser sends only its own worker's files (upload-queue.js).
            "owner": request.user.code,
        }
    )


def _tag_url(group, batch: str = "") -> str:
    url = reverse("photos_staff:tag", kwargs={"group_code": group.code})
    return f"{url}?{urlencode({'batch': batch})}" if batch else url


def _tag_page(request, group):
    """The page of photos shown for tagging (of the group, or of one upload batch)."""
    batch = request.GET.get("batch", "")
    photos = photos_managed_by(request.user).filter(group=group)
    if BATCH_RE.match(batch):
        photos = photos.filter(batch=batch)
    else:
        batch = ""
    # The face guard (issue 18): how many faces each photo shows, for "3 faces, 2 tagged".
    photos = photos.annotate(
        face_count=Count("faces", filter=~Q(faces__decision=PhotoFace.Decision.NOT_CHILD))
    )
    page = Paginator(
        with_tagged_children(photos.order_by("-uploaded_at", "-pk")), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return page, batch


def _group_children(group) -> list:
    return list(Child.objects.filter(group=group, archived_at__isnull=True))


def _tag_choices(children) -> list[dict]:
    """A checkbox per child; children without photo consent disabled, with the reason (R5)."""
    states = consent_states(children)
    reasons = {
        ConsentState.REFUSED: _("no photo consent"),
        ConsentState.UNDECIDED: _("photo consent not decided yet"),
    }
    return [
        {
            "child": child,
            "allowed": states[child.pk][Purpose.PHOTOS] == ConsentState.GIVEN,
            "reason": reasons.get(states[child.pk][Purpose.PHOTOS], ""),
        }
        for child in children
    ]


def _flash_outcome(request, problems: list[str], *, saved: int, success: str) -> None:
    """Each problem once, and ``success`` when anything was saved (the rest is still saved
    when one photo or face is refused)."""
    for problem in dict.fromkeys(problems):
        messages.error(request, problem)
    if saved:
        messages.success(request, success)


def tag(request, group_code):
    """The photos of a group (or of one upload batch) with a checkbox per child of the group.
    Children without photo consent are shown, disabled, with the reason (R5). A photo that such
    a child is tagged in is listed as a placeholder, to be deleted or untagged (issue 5). The
    form sends to ``tag_save`` at the same address."""
    if request.method == "POST":
        return tag_save(request, group_code)
    group = get_group_for(request.user, group_code)
    page, batch = _tag_page(request, group)
    rows = [
        {"photo": photo, "tagged": {tag.child_id for tag in photo.tags.all()}}
        for photo in page.object_list
    ]
    choices = _tag_choices(_group_children(group))
    return render(
        request,
        "photos/staff/tag.html",
        {"group": group, "batch": batch, "page": page, "rows": rows, "choices": choices},
    )


@require_POST
def tag_save(request, group_code):
    """Save the tags of the photos on the page that was shown; only photos on that page and
    children of the group can be tagged (``PhotoTagsForm``)."""
    group = get_group_for(request.user, group_code)
    page, _batch = _tag_page(request, group)
    form = PhotoTagsForm(request.POST, photos=page.object_list, children=_group_children(group))
    form.is_valid()
    problems = form.problems()
    changed = 0
    for photo, children in form.photo_tags():
        try:
            services.photo_tags_set(photo=photo, children=children, tagged_by=request.user)
        except DomainError as problem:
            problems.append(problem.message)  # type: ignore[arg-type]  # may be lazy: messages.error takes it
        else:
            changed += 1
    _flash_outcome(request, problems, saved=changed, success=_("The tags have been saved."))
    return redirect(request.get_full_path())


@require_POST
def delete(request, group_code, code):
    """Delete a photo of the group, also one withheld by a missing photo consent (issue 5)."""
    group = get_group_for(request.user, group_code)
    photo = get_managed_photo_for(request.user, code, group=group)
    services.photo_delete(photo=photo)
    messages.success(request, _("The photo has been deleted."))
    return redirect(_tag_url(group, request.POST.get("batch", "")))


def staff_photo_file(request, code, size):
    """One size of one photo for staff (the staff door); 404 for everyone else. Every read is
    logged for each child tagged in the photo (R24)."""
    if size not in SIZES:
        raise Http404
    photo = get_photo_for_staff(request.user, code)
    attachment = request.GET.get("download") == "1"
    access_log(
        user=request.user,
        child_ids=photo.tags.values_list("child_id", flat=True),
        kind=AccessKind.PHOTO_DOWNLOAD
        if attachment or size == "original"
        else AccessKind.PHOTO_READ,
    )
    size = "original" if attachment else size
    return deliver_photo_to_staff(photo, size, attachment=attachment)  # unblurred original


def faces(request, group_code, code):
    """The face guard's review of one photo (issue 18): each face box found or drawn, and what
    it is: a tagged child, a child to blur, or not a child. POST ``decide`` saves the choices,
    POST ``draw`` adds a box the detector missed. Children without photo consent can only be
    blurred. Face detection only: nothing here recognises anyone."""
    group = get_group_for(request.user, group_code)
    photo = get_managed_photo_for(request.user, code, group=group)
    children = list(Child.objects.filter(group=group, archived_at__isnull=True))
    if request.method == "POST":
        if request.POST.get("action") == "draw":
            _draw_face(request, photo)
        else:
            _decide_faces(request, photo, {child.code: child for child in children})
        return redirect("photos_staff:faces", group_code=group.code, code=photo.code)
    states = consent_states(children)
    boxes = list(photo.faces.select_related("child"))
    width, height = photo.display_size
    for number, box in enumerate(boxes, start=1):
        # Attributes for the template only.
        box.number = number  # type: ignore[attr-defined]
        box.rect = {  # type: ignore[attr-defined]
            "x": box.x * width,
            "y": box.y * height,
            "w": box.w * width,
            "h": box.h * height,
        }
    tagged = photo.tags.count()
    return render(
        request,
        "photos/staff/faces.html",
        {
            "group": group,
            "photo": photo,
            "size": {"width": width, "height": height},
            "boxes": boxes,
            "tagged": tagged,
            "counted": sum(1 for box in boxes if box.decision != box.Decision.NOT_CHILD),
            "choices": [
                {
                    "child": child,
                    "allowed": states[child.pk][Purpose.PHOTOS] == ConsentState.GIVEN,
                }
                for child in children
            ],
        },
    )


def _decide_faces(request, photo, children_by_code) -> None:
    saved, problems = 0, []
    for face in photo.faces.all():
        decision = request.POST.get(f"decision-{face.code}", "")
        if not decision or decision == face.Decision.PENDING:
            continue
        child_code = request.POST.get(f"child-{face.code}", "")
        child = children_by_code.get(child_code)
        if child_code and child is None:
            problems.append(_("Only children of this photo's group can be tagged."))
            continue
        if (decision, getattr(child, "pk", None)) == (face.decision, face.child_id):
            continue
        try:
            services.photo_face_decide(
                photo=photo, face=face, decision=decision, child=child, decided_by=request.user
            )
        except DomainError as problem:
            problems.append(problem.message)  # type: ignore[arg-type]  # may be lazy: messages.error takes it
        else:
            saved += 1
    _flash_outcome(request, problems, saved=saved, success=_("The faces have been saved."))


def _draw_face(request, photo) -> None:
    from photos.faces import Box

    try:
        # Percentages of the photo's width and height, from the page's script or the form.
        x, y, w, h = (float(request.POST.get(name, "")) / 100 for name in ("x", "y", "w", "h"))
        if not all(0 <= value <= 1 for value in (x, y, w, h)):
            raise ValueError
    except ValueError:
        messages.error(request, _("Give the box as percentages between 0 and 100."))
        return
    try:
        services.photo_face_draw(photo=photo, box=Box(x, y, w, h), drawn_by=request.user)
    except DomainError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("The box has been added. Say below what it is."))
