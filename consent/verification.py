"""The consent projection checked against the decisions, every night (issue 16).

``compare()`` recomputes the rule from the decision log (``consent.selectors.rule_states``)
for every child and every photo and lists where the projection (``consent.projection``)
differs: a child's state, a photo's ``shareable``, a tag's copies. It only reads.

``verify()`` is the nightly job (beat, ``consent.tasks.verify_projection_task``): it compares;
confirms each difference again under the projection's own locks (a write that ran between
reading the decisions and reading the projection is not a difference); closes the confirmed
ones at once (the child's state is removed, which reads as undecided; the photo and its tags
are marked not shareable) and commits that; then repairs them through the projection's own
functions; logs and e-mails customer service (counts only, no personal data); and leaves a
``VerificationRun`` with what it checked, which customer service sees at
``/staff/consent/verification/``: the evidence that no photo was shown without consent.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_portal_mail
from consent import projection
from consent.models import CurrentConsent, Purpose, VerificationRun
from consent.projection import shareable_by_rule
from consent.selectors import ConsentState, rule_states
from core.db import many_ids
from daycare.models import Child
from photos.models import Photo, PhotoTag

logger = logging.getLogger(__name__)

CHUNK = 5000


@dataclass(frozen=True)
class Difference:
    kind: str  # "child", "photo" or "tag"
    pk: int  # the child's, photo's or tag's id
    expected: str
    found: str
    photo_id: int | None = None  # for a tag: its photo


@dataclass
class Comparison:
    children: int = 0
    photos: int = 0
    differences: list[Difference] = field(default_factory=list)


def _compare_children(result: Comparison, rows: Sequence[tuple[int, object]]) -> set[int]:
    """Compare these children's (pk, archived_at) projected states with the rule; return those
    whose photo consent holds by the rule and who are not archived."""
    ids = [pk for pk, _archived in rows]
    result.children += len(ids)
    expected = rule_states(ids)
    found: dict[tuple[int, str], str] = {
        (child_id, purpose): state
        for child_id, purpose, state in CurrentConsent.objects.filter(
            child_id__in=many_ids(ids)
        ).values_list("child_id", "purpose", "state")
    }
    open_children: set[int] = set()
    for child_id, archived_at in rows:
        for purpose in Purpose.values:
            want = str(expected[child_id][purpose])
            have = found.get((child_id, purpose), "missing")
            if have != want:
                result.differences.append(
                    Difference("child", child_id, f"{purpose}: {want}", f"{purpose}: {have}")
                )
        if archived_at is None and expected[child_id][Purpose.PHOTOS] == ConsentState.GIVEN:
            open_children.add(child_id)
    return open_children


def _open_children(child_ids: set[int]) -> set[int]:
    """By the rule from the decisions: which of these children have photo consent and are not
    archived."""
    ids = sorted(child_ids)
    states = rule_states(ids)
    live = set(
        Child.objects.filter(pk__in=many_ids(ids), archived_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    return {pk for pk in live if states[pk][Purpose.PHOTOS] == ConsentState.GIVEN}


def _compare_photos(result: Comparison, photos: list[tuple], open_children: set[int] | None):
    """Compare these photos' (pk, shareable, taken_at, held) and their tags with the rule.
    ``open_children``: see ``_open_children``; None to compute it for their tagged children."""
    ids = [row[0] for row in photos]
    result.photos += len(ids)
    tags: dict[int, list[tuple]] = {}
    for tag in PhotoTag.objects.filter(photo_id__in=many_ids(ids)).values_list(
        "photo_id", "pk", "child_id", "blurred", "shareable", "taken_at"
    ):
        tags.setdefault(tag[0], []).append(tag[1:])
    if open_children is None:
        open_children = _open_children({tag[1] for own in tags.values() for tag in own})
    for photo_id, shareable, taken_at, held in photos:
        own = tags.get(photo_id, [])
        want = shareable_by_rule(((tag[1], tag[2]) for tag in own), open_children)
        if shareable != want:
            result.differences.append(Difference("photo", photo_id, str(want), str(shareable)))
        # A photo the face guard holds (issue 18) reaches no parent: its tags say "no".
        tag_want = want and not held
        for tag_id, _child_id, _blurred, tag_shareable, tag_taken_at in own:
            if tag_shareable != tag_want or tag_taken_at != taken_at:
                result.differences.append(
                    Difference(
                        "tag",
                        tag_id,
                        f"{tag_want} {taken_at.isoformat()}",
                        f"{tag_shareable} {tag_taken_at.isoformat() if tag_taken_at else None}",
                        photo_id=photo_id,
                    )
                )


def compare() -> Comparison:
    """Every child and photo: the projection against the rule from the decisions. Reads in
    chunks of 5,000, by primary key."""
    result = Comparison()
    open_children: set[int] = set()
    last = 0
    while rows := list(
        Child.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "archived_at")[:CHUNK]
    ):
        last = rows[-1][0]
        open_children |= _compare_children(result, rows)
    last = 0
    while photos := list(
        Photo.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "shareable", "taken_at", "held")[:CHUNK]
    ):
        last = photos[-1][0]
        _compare_photos(result, photos, open_children)
    return result


def compare_some(*, child_ids=(), photo_ids=()) -> Comparison:
    """``compare()`` for these children and photos only."""
    result = Comparison()
    child_ids, photo_ids = sorted(set(child_ids)), sorted(set(photo_ids))
    if child_ids:
        rows = list(
            Child.objects.filter(pk__in=many_ids(child_ids))
            .order_by("pk")
            .values_list("pk", "archived_at")
        )
        _compare_children(result, rows)
    if photo_ids:
        photos = list(
            Photo.objects.filter(pk__in=many_ids(photo_ids))
            .order_by("pk")
            .values_list("pk", "shareable", "taken_at", "held")
        )
        _compare_photos(result, photos, None)
    return result


def _ids(differences: list[Difference]) -> tuple[set[int], set[int]]:
    children = {d.pk for d in differences if d.kind == "child"}
    photos = {d.pk for d in differences if d.kind == "photo"}
    photos |= {d.photo_id for d in differences if d.kind == "tag" and d.photo_id}
    return children, photos


def close(differences: list[Difference]) -> list[Difference]:
    """Confirm the differences under the projection's locks and close the confirmed ones:
    remove the child's projected state (reads as undecided) and mark the photo and its tags
    not shareable. One transaction; returns the confirmed differences."""
    child_ids, photo_ids = _ids(differences)
    with transaction.atomic():
        tagged = set(
            PhotoTag.objects.filter(photo_id__in=many_ids(sorted(photo_ids))).values_list(
                "child_id", flat=True
            )
        )
        projection.lock(child_ids=child_ids | tagged, photo_ids=photo_ids)
        confirmed = compare_some(child_ids=child_ids, photo_ids=photo_ids).differences
        close_children, close_photos = _ids(confirmed)
        CurrentConsent.objects.filter(child_id__in=many_ids(sorted(close_children))).delete()
        Photo.objects.filter(pk__in=many_ids(sorted(close_photos))).update(shareable=False)
        PhotoTag.objects.filter(photo_id__in=many_ids(sorted(close_photos))).update(shareable=False)
    return confirmed


def repair(differences: list[Difference]) -> None:
    """Recompute what differed, through the projection's own functions."""
    child_ids, photo_ids = _ids(differences)
    with transaction.atomic():
        projection.children_changed(child_ids)
        projection.photos_changed(photo_ids)


def verify() -> VerificationRun:
    """The nightly check (see the module doc). Returns the run's record."""
    run = VerificationRun.objects.create(started_at=timezone.now())
    result = compare()
    confirmed = close(result.differences) if result.differences else []
    if confirmed:
        repair(confirmed)
    kinds = Counter(d.kind for d in confirmed)
    run.children, run.photos = result.children, result.photos
    run.differences = len(confirmed)
    run.kinds = dict(sorted(kinds.items()))
    run.finished_at = timezone.now()
    run.save(update_fields=["children", "photos", "differences", "kinds", "finished_at"])
    if confirmed:
        # Counts only: no child, photo or person is named in a log line or an e-mail.
        logger.warning(
            "consent projection: %d differences closed and repaired (%s)",
            len(confirmed),
            ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())),
        )

        send_portal_mail(
            to=[settings.CUSTOMER_SERVICE_EMAIL],
            template="consent/email/verification",
            context={
                "run": run,
                "url": settings.SITE_URL + reverse("consent_staff:verification"),
            },
        )
    else:
        logger.info(
            "consent projection: %d children and %d photos checked, no differences",
            result.children,
            result.photos,
        )
    return run
