"""Writes of news and newsletters (R13): publish, edit, delete, announce by e-mail."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import send_portal_mail
from accounts.models import User
from core.errors import DomainError
from daycare.access import staff_scope
from daycare.models import Guardianship
from files.services import files_queue_deletion
from files.uploads import (
    IMAGE,
    PDF,
    CleanUpload,
    UploadRejected,
    clean_upload,
    stored_uploads,
    upload_name,
)
from newsletters.models import Attachment, EmailPreference, Publication
from newsletters.sanitize import clean_body
from newsletters.selectors import parent_publications
from outbox.services import enqueue
from push.services import push_announce

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from daycare.models import Location

MAX_ATTACHMENTS = 10


def _clean_attachment(uploaded: "UploadedFile[Any]") -> CleanUpload:
    """A PDF or a photo, told apart by content (``files.uploads.clean_upload``) and named after
    what it is."""
    try:
        return clean_upload(uploaded, max_side=2400, default_name="bijlage")
    except UploadRejected as error:
        name = upload_name(uploaded, default="bijlage")
        if error.code == "unsupported":
            raise UploadRejected(
                _("%(name)s: only PDF documents and JPEG, PNG or HEIC photos can be attached.")
                % {"name": name},
                code=error.code,
            ) from None
        raise error.for_file(name) from None


@dataclass
class _Files:
    """The uploads of one save, cleaned (by content) but not stored yet."""

    image: CleanUpload | None
    pdf: CleanUpload | None
    attachments: list[CleanUpload]


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise DomainError(_("Give it a title."))
    return title


def _check_body(*, kind: str, body: str, has_pdf: bool) -> str:
    body = clean_body(body)
    if kind == Publication.Kind.NEWSLETTER and not (has_pdf or body):
        raise DomainError(_("A newsletter needs a PDF or a text."))
    if kind == Publication.Kind.NEWS and not body:
        raise DomainError(_("Write the text of the news item."))
    return body


def _clean_files(
    *,
    kind: str,
    image: "UploadedFile[Any] | None",
    pdf: "UploadedFile[Any] | None",
    attachments: "Sequence[UploadedFile[Any]]",
    attachments_kept: int = 0,
) -> _Files:
    if pdf and kind != Publication.Kind.NEWSLETTER:
        raise DomainError(_("Only a newsletter has a PDF; attach documents to news instead."))
    if attachments_kept + len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
    return _Files(
        image=clean_upload(image, accept=[IMAGE], max_side=1600) if image else None,
        pdf=clean_upload(pdf, accept=[PDF], default_name="nieuwsbrief") if pdf else None,
        attachments=[_clean_attachment(upload) for upload in attachments],
    )


def _write(
    *,
    publication: Publication,
    files: _Files,
    content: "PublicationContent",
    remove_image: bool = False,
    remove_attachments: tuple[Any, ...] = (),
) -> Publication:
    """Store the files (crash-safe: ``stored_uploads``), then save ``publication`` with its
    audience and moment from ``content`` and its attachments in the transaction that keeps
    them; replaced or removed files are queued for deletion in that same transaction."""
    if content.published_at is not None:
        publication.published_at = content.published_at
    cleans = [files.image, files.pdf, *files.attachments]
    with stored_uploads(cleans, prefix="newsletters") as keys:
        image_key, pdf_key, *attachment_keys = keys
        old_keys = []
        if files.image or remove_image:
            old_keys.append(publication.image_key)
            publication.image_key = image_key
        if files.pdf:
            old_keys.append(publication.pdf_key)
            publication.pdf_key, publication.pdf_name = pdf_key, files.pdf.filename
        publication.save()
        publication.locations.set([] if content.for_all_locations else content.locations)
        if remove_attachments:
            gone = publication.attachments.filter(code__in=remove_attachments)
            old_keys += list(gone.values_list("key", flat=True))
            gone.delete()
        Attachment.objects.bulk_create(
            Attachment(
                publication=publication,
                key=key,
                filename=clean.filename,
                content_type=clean.content_type,
                size=len(clean.data),
            )
            for key, clean in zip(attachment_keys, files.attachments, strict=True)
        )
        files_queue_deletion(keys=[key for key in old_keys if key])
        if publication.announced_at is None and publication.published_at <= timezone.now():
            # Here, not at the top: newsletters.tasks imports this module (an import cycle).
            from newsletters.tasks import announce_due_task

            enqueue(announce_due_task)
    return publication


def _check_audience(
    *, user: "User", for_all_locations: bool, locations: "Iterable[Location]"
) -> None:
    scope = staff_scope(user)
    if not scope.everything and not scope.location_ids:
        raise DomainError(_("You cannot publish news."))
    if for_all_locations:
        if not scope.everything:
            raise DomainError(_("Only customer service can publish for all locations."))
        return
    if not locations:
        raise DomainError(_("Choose at least one location, or all locations."))
    if not scope.everything and any(loc.pk not in scope.location_ids for loc in locations):
        raise DomainError(_("You can only publish for your own location."))


@dataclass(frozen=True)
class PublicationContent:
    """What a publisher writes in a news item or newsletter, new or edited: the title, the body
    (HTML, sanitised here), the audience, when it appears (None: now, or as it was) and the
    files to add (each cleaned by content before anything is stored)."""

    title: str
    body: str
    for_all_locations: bool
    locations: list[Any]
    published_at: datetime.datetime | None = None
    image: "UploadedFile[Any] | None" = None
    pdf: "UploadedFile[Any] | None" = None
    attachments: tuple[Any, ...] = ()


def publication_create(*, user: "User", kind: str, content: PublicationContent) -> Publication:
    """Publish (or schedule, with a later ``published_at``) a news item or newsletter."""
    if kind not in Publication.Kind.values:
        raise DomainError(_("Unknown kind."))
    title = _check_title(content.title)
    _check_audience(
        user=user, for_all_locations=content.for_all_locations, locations=content.locations
    )
    files = _clean_files(
        kind=kind, image=content.image, pdf=content.pdf, attachments=content.attachments
    )
    body = _check_body(kind=kind, body=content.body, has_pdf=bool(files.pdf))
    publication = Publication(
        kind=kind,
        created_by=user,
        title=title,
        body=body,
        for_all_locations=content.for_all_locations,
    )
    return _write(publication=publication, files=files, content=content)


def publication_update(
    *,
    publication: Publication,
    user: "User",
    content: PublicationContent,
    remove_attachments: tuple[Any, ...] = (),
    remove_image: bool = False,
) -> Publication:
    """Edit a news item or newsletter; its kind stays. Replaced or removed files are queued for
    deletion in the same transaction. The caller has checked that ``user`` may edit
    ``publication``."""
    title = _check_title(content.title)
    _check_audience(
        user=user, for_all_locations=content.for_all_locations, locations=content.locations
    )
    kept = publication.attachments.count() - len(remove_attachments)
    files = _clean_files(
        kind=publication.kind,
        image=content.image,
        pdf=content.pdf,
        attachments=content.attachments,
        attachments_kept=kept,
    )
    has_pdf = bool(files.pdf or publication.pdf_key)
    publication.body = _check_body(kind=publication.kind, body=content.body, has_pdf=has_pdf)
    publication.title = title
    publication.for_all_locations = content.for_all_locations
    return _write(
        publication=publication,
        files=files,
        content=content,
        remove_image=remove_image,
        remove_attachments=remove_attachments,
    )


def publication_delete(*, publication: Publication) -> None:
    with transaction.atomic():
        keys = [publication.image_key, publication.pdf_key]
        keys += list(publication.attachments.values_list("key", flat=True))
        publication.delete()
        files_queue_deletion(keys=[key for key in keys if key])


def email_preference_set(*, user: "User", news: bool, newsletters: bool) -> EmailPreference:
    preference, _created = EmailPreference.objects.update_or_create(
        user=user, defaults={"news": news, "newsletters": newsletters}
    )
    return preference


def _recipients(publications: "Iterable[Publication]") -> dict[int, list[int]]:
    """user id -> ids of the publications to announce to them, honouring their preferences."""
    rows = (
        Guardianship.objects.filter(child__archived_at__isnull=True, user__is_active=True)
        .values_list("user_id", "child__group__location_id")
        .distinct()
    )
    locations_of = defaultdict(set)
    for user_id, location_id in rows:
        locations_of[user_id].add(location_id)
    opted_out: dict[str, set[int]] = {
        kind: set(
            EmailPreference.objects.filter(**{field: False}).values_list("user_id", flat=True)
        )
        for kind, field in (
            (Publication.Kind.NEWS, "news"),
            (Publication.Kind.NEWSLETTER, "newsletters"),
        )
    }
    audience = {}
    for publication in publications:
        audience[publication.pk] = (
            None
            if publication.for_all_locations
            else {loc.pk for loc in publication.locations.all()}
        )
    out = defaultdict(list)
    for user_id, user_locations in locations_of.items():
        for publication in publications:
            if user_id in opted_out[publication.kind]:
                continue
            targets = audience[publication.pk]
            if targets is None or targets & user_locations:
                out[user_id].append(publication.pk)
    return out


def publications_announce_due(*, now: datetime.datetime | None = None) -> int:
    """Announce every item whose time has come and that was not announced yet.

    Each item is claimed once (``announced_at``, rows locked with skip_locked), so running this
    twice or on two workers never sends an item twice. Each parent gets one e-mail listing all
    new items for them (batched), sent by a task after commit. Returns the number of e-mails.
    """
    # Here, not at the top: newsletters.tasks imports this module (an import cycle).
    from newsletters.tasks import send_announcement_task

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Publication.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(announced_at__isnull=True, published_at__lte=now)
            .order_by("published_at")
        )
        if not due:
            return 0
        Publication.objects.filter(pk__in=[p.pk for p in due]).update(announced_at=now)
        publications = list(
            Publication.objects.filter(pk__in=[p.pk for p in due])
            .prefetch_related("locations")
            .order_by("published_at")
        )
        batches = _recipients(publications)
        for user_id, ids in batches.items():
            enqueue(send_announcement_task, user_id, ids)

        for publication in publications:
            push_announce(kind="news", key=f"news:{publication.pk}", ref=str(publication.pk))
    return len(batches)


def announcement_send(*, user_id: int, publication_ids: list[int]) -> bool:
    """One e-mail to one parent: the titles of the new items and a link, nothing private."""

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    # Check the audience again at sending time: a child may have left in the meantime.
    items = list(parent_publications(user).filter(pk__in=publication_ids).order_by("published_at"))
    if not items:
        return False

    send_portal_mail(
        to=[user.email],
        template="newsletters/email/announcement",
        context={
            "items": items,
            "has_news": any(i.kind == Publication.Kind.NEWS for i in items),
            "has_newsletters": any(i.kind == Publication.Kind.NEWSLETTER for i in items),
        },
    )
    return True
