"""Writes of news and newsletters (R13): publish, edit, delete, announce by e-mail."""

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daycare.access import staff_scope
from daycare.models import Guardianship
from files.services import files_keep, files_queue_deletion, files_store
from files.uploads import UploadRejected, clean_image, clean_pdf
from newsletters.models import Attachment, EmailPreference, Publication
from newsletters.sanitize import clean_body
from outbox.services import enqueue
from portal.errors import DomainError

MAX_ATTACHMENTS = 10
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".heic", ".heif"}


@dataclass
class _CleanFile:
    data: bytes
    extension: str
    content_type: str
    filename: str


def _clean_attachment(uploaded) -> _CleanFile:
    """A PDF or a photo, checked by content *and* by name: a file must be what its name says."""
    name = os.path.basename(uploaded.name or "bijlage")[:150]
    stem, extension = os.path.splitext(name)
    extension = extension.lower()
    try:
        if extension == ".pdf":
            return _CleanFile(clean_pdf(uploaded), "pdf", "application/pdf", name)
        if extension in IMAGE_EXTENSIONS:
            image = clean_image(uploaded, max_side=2400)
            return _CleanFile(
                image.data, image.extension, image.content_type, f"{stem}.{image.extension}"
            )
    except UploadRejected as error:
        raise DomainError(
            _("%(name)s: %(problem)s") % {"name": name, "problem": error.message}
        ) from None
    raise DomainError(
        _("%(name)s: only PDF documents and JPEG, PNG or HEIC photos can be attached.")
        % {"name": name}
    )


def _clean_image(uploaded) -> _CleanFile:
    try:
        image = clean_image(uploaded, max_side=1600)
    except UploadRejected as error:
        raise DomainError(error.message) from None
    return _CleanFile(image.data, image.extension, image.content_type, "")


def _clean_pdf(uploaded) -> _CleanFile:
    try:
        data = clean_pdf(uploaded)
    except UploadRejected as error:
        raise DomainError(error.message) from None
    name = os.path.basename(uploaded.name or "nieuwsbrief.pdf")[:150]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return _CleanFile(data, "pdf", "application/pdf", name)


def _store(clean: _CleanFile) -> str:
    return files_store(prefix="newsletters", extension=clean.extension, content=clean.data)


def _save(
    *,
    publication,
    user,
    kind,
    title,
    body,
    for_all_locations,
    locations,
    published_at,
    image_key,
    pdf,
    attachments,
    remove_attachments,
):
    old_keys = []
    if publication is None:
        publication = Publication(kind=kind, created_by=user)
    elif publication.kind != kind:
        raise DomainError(_("Unknown kind."))
    publication.title = title
    publication.body = body
    publication.for_all_locations = for_all_locations
    if published_at is not None:
        publication.published_at = published_at
    if image_key is not None:
        old_keys.append(publication.image_key)
        publication.image_key = image_key
    if pdf:
        old_keys.append(publication.pdf_key)
        publication.pdf_key, publication.pdf_name = pdf
    publication.save()
    publication.locations.set([] if for_all_locations else locations)
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
        for key, clean in attachments
    )
    files_queue_deletion(keys=[key for key in old_keys if key])
    if publication.announced_at is None and publication.published_at <= timezone.now():
        from newsletters.tasks import announce_due_task

        enqueue(announce_due_task)
    return publication


def _check_audience(*, user, for_all_locations: bool, locations) -> None:
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


def publication_save(
    *,
    user,
    kind: str,
    title: str,
    body: str,
    for_all_locations: bool,
    locations: list,
    published_at: datetime.datetime | None = None,
    image=None,
    pdf=None,
    attachments: tuple = (),
    remove_attachments: tuple = (),
    remove_image: bool = False,
    publication: Publication | None = None,
) -> Publication:
    """Create (``publication`` None) or edit a news item or newsletter.

    The body is sanitised with nh3; uploads are cleaned by content before anything is stored;
    replaced or removed files are queued for deletion in the same transaction.
    """
    if kind not in Publication.Kind.values:
        raise DomainError(_("Unknown kind."))
    title = title.strip()
    if not title:
        raise DomainError(_("Give it a title."))
    _check_audience(user=user, for_all_locations=for_all_locations, locations=locations)
    body = clean_body(body)
    clean_img = _clean_image(image) if image else None
    clean_doc = None
    if pdf:
        if kind != Publication.Kind.NEWSLETTER:
            raise DomainError(_("Only a newsletter has a PDF; attach documents to news instead."))
        clean_doc = _clean_pdf(pdf)
    existing_attachments = publication.attachments.count() if publication else 0
    kept = existing_attachments - len(remove_attachments)
    if kept + len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
    clean_attachments = [_clean_attachment(upload) for upload in attachments]
    has_pdf = bool(clean_doc or (publication and publication.pdf_key))
    if kind == Publication.Kind.NEWSLETTER and not (has_pdf or body):
        raise DomainError(_("A newsletter needs a PDF or a text."))
    if kind == Publication.Kind.NEWS and not body:
        raise DomainError(_("Write the text of the news item."))

    # Files first (crash-safe: files_store), then the records in one transaction that keeps them.
    image_key = _store(clean_img) if clean_img else ""
    pdf_key = _store(clean_doc) if clean_doc else ""
    attachment_keys = [_store(clean) for clean in clean_attachments]
    new_keys = [key for key in (image_key, pdf_key, *attachment_keys) if key]
    try:
        with transaction.atomic():
            files_keep(keys=new_keys)
            publication = _save(
                publication=publication,
                user=user,
                kind=kind,
                title=title,
                body=body,
                for_all_locations=for_all_locations,
                locations=locations,
                published_at=published_at,
                image_key=image_key if (clean_img or remove_image) else None,
                pdf=(pdf_key, clean_doc.filename) if clean_doc else None,
                attachments=list(zip(attachment_keys, clean_attachments, strict=True)),
                remove_attachments=remove_attachments,
            )
    except BaseException:
        files_queue_deletion(keys=new_keys)  # the records were not saved: neither are the files
        raise
    return publication


def publication_delete(*, publication: Publication) -> None:
    with transaction.atomic():
        keys = [publication.image_key, publication.pdf_key]
        keys += list(publication.attachments.values_list("key", flat=True))
        publication.delete()
        files_queue_deletion(keys=[key for key in keys if key])


def email_preference_set(*, user, news: bool, newsletters: bool) -> EmailPreference:
    preference, _created = EmailPreference.objects.update_or_create(
        user=user, defaults={"news": news, "newsletters": newsletters}
    )
    return preference


def _recipients(publications) -> dict[int, list[int]]:
    """user id -> ids of the publications to announce to them, honouring their preferences."""
    rows = (
        Guardianship.objects.filter(child__archived_at__isnull=True, user__is_active=True)
        .values_list("user_id", "child__group__location_id")
        .distinct()
    )
    locations_of = defaultdict(set)
    for user_id, location_id in rows:
        locations_of[user_id].add(location_id)
    opted_out = {
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
        from push.services import push_announce  # audience checked per person (push app)

        for publication in publications:
            push_announce(kind="news", key=f"news:{publication.pk}", ref=str(publication.pk))
    return len(batches)


def announcement_send(*, user_id: int, publication_ids: list[int]) -> bool:
    """One e-mail to one parent: the titles of the new items and a link, nothing private."""
    from accounts.models import User
    from newsletters.selectors import parent_publications

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    # Check the audience again at sending time: a child may have left in the meantime.
    items = list(parent_publications(user).filter(pk__in=publication_ids).order_by("published_at"))
    if not items:
        return False
    from portal.mail import send_portal_mail

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
