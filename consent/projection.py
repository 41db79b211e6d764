"""The consent projection (issue 16): the one module that writes it.

The decisions (``ConsentDecision``, append-only) stay the proof (R6). Beside them this module
keeps the *current* state the rule derives from them, so that every read is a lookup on
indexed columns instead of the rule rebuilt as nested subqueries:

- ``CurrentConsent``: per child and purpose, given / refused / undecided (R4);
- ``Photo.shareable``: every tagged child has photo consent now and none is archived (R5,
  R17); tags marked ``blurred`` (the child's face is pixelated) are skipped. Copied, with the
  photo's ``taken_at`` and ``uploaded_at``, onto each ``PhotoTag`` (indexed by child,
  shareable and date; the upload time for the "new photos" badge), where it also says "no"
  while the face guard holds the photo (``Photo.held``, issue 18).

Every write that changes an input calls one of two functions inside its own transaction:

- ``children_changed(child_ids)``: decisions recorded (portal, paper), guardianships added or
  removed (``daycare.services``), children archived (``retention.engine``);
- ``photos_changed(photo_ids)``: a photo uploaded, tags set, the tags of destroyed children
  removed from group photos.

Photo deletion and the destruction of a child take their projection rows with them (cascade).
No view or task writes the projection; ``consent.verification`` checks it every night against
the rule computed from the decisions and repairs it through these same functions.

Locks: children first, then photos, each in primary-key order. Two writers that touch the same
child or photo therefore run one after the other, and the later one computes from what the
earlier committed. A tag change locks every child tagged on the photo, so a withdrawal for one
of them cannot slip past it.

Fail closed: a missing ``CurrentConsent`` row reads as "undecided"; a photo or tag is shareable
only once this module has said so (the columns default to False).
"""

from collections.abc import Iterable, Mapping

from django.db.models import Exists, OuterRef, Q, Subquery

from consent.models import CurrentConsent, ProjectedState, Purpose
from consent.selectors import rule_states
from core.db import many_ids
from daycare.models import Child
from photos.models import Photo, PhotoTag

CHUNK = 5000


def _chunks(ids: list[int], size: int = CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def blocking_tags(photo_ref: str = "pk"):
    """The tags that keep a photo (``photo_ref`` names its id in the outer query) from being
    shared now: a tagged child, not blurred, without photo consent or archived (R5, R17).
    The one place that says which tags count; a blurred tag is skipped."""
    consent = CurrentConsent.objects.filter(
        child_id=OuterRef("child_id"), purpose=Purpose.PHOTOS, state=ProjectedState.GIVEN
    )
    return PhotoTag.objects.filter(photo_id=OuterRef(photo_ref), blurred=False).filter(
        Q(child__archived_at__isnull=False) | ~Exists(consent)
    )


def shareable_by_rule(tags: Iterable[tuple[int, bool]], open_children: set[int]) -> bool:
    """The same rule on plain values: ``tags`` are (child id, blurred) of one photo,
    ``open_children`` the children with photo consent who are not archived."""
    return all(blurred or child_id in open_children for child_id, blurred in tags)


def _tag_copies() -> dict:
    """What a tag copies from its photo: the date, and ``shareable`` unless the face guard
    holds the photo (issue 18: a face not yet accounted for, or a blurred rendering not made
    yet). Parents read the tags, so a held photo reaches none of them; staff read the photo's
    own flag and keep seeing it to review it."""
    photo = Photo.objects.filter(pk=OuterRef("photo_id"))
    return {
        "shareable": Exists(photo.filter(shareable=True, held=False)),
        "taken_at": Subquery(photo.values("taken_at")[:1]),
        "uploaded_at": Subquery(photo.values("uploaded_at")[:1]),
    }


def _lock_children(child_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(child_ids))
    locked: list[int] = []
    for chunk in _chunks(ids):
        locked += (
            Child.objects.select_for_update()
            .filter(pk__in=many_ids(chunk))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return locked


def _write_states(states: Mapping[int, Mapping[str, str]]) -> None:
    rows = [
        CurrentConsent(child_id=child_id, purpose=purpose, state=state)
        for child_id, by_purpose in states.items()
        for purpose, state in by_purpose.items()
    ]
    CurrentConsent.objects.bulk_create(
        rows,
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["child", "purpose"],
        update_fields=["state", "updated_at"],
    )


def _refresh_photos(photo_ids: Iterable[int], *, lock: bool = True) -> None:
    """Recompute ``shareable`` of these photos from ``CurrentConsent`` and copy it, with the
    photo's date, onto their tags. With ``lock``, each chunk's photos are locked first, so the
    statements after it see every write committed before (READ COMMITTED)."""
    ids = sorted(set(photo_ids))
    for chunk in _chunks(ids):
        if lock:
            list(
                Photo.objects.select_for_update()
                .filter(pk__in=many_ids(chunk))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        Photo.objects.filter(pk__in=many_ids(chunk)).update(shareable=~Exists(blocking_tags()))
        PhotoTag.objects.filter(photo_id__in=many_ids(chunk)).update(**_tag_copies())


def lock(*, child_ids: Iterable[int] = (), photo_ids: Iterable[int] = ()) -> None:
    """Take the projection's locks (children, then photos), for a reader that must see these
    rows stay put until its transaction ends (the nightly check confirming a difference)."""
    _lock_children(child_ids)
    for chunk in _chunks(sorted(set(photo_ids))):
        list(
            Photo.objects.select_for_update()
            .filter(pk__in=many_ids(chunk))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def children_changed(child_ids: Iterable[int]) -> None:
    """An input of these children's consent changed (a decision, a guardianship, archiving):
    recompute their state from the decisions and every photo they are tagged in. Call it
    inside the transaction of the change."""
    ids = _lock_children(child_ids)
    if not ids:
        return
    _write_states(rule_states(ids))
    photo_ids = (
        PhotoTag.objects.filter(child_id__in=many_ids(ids))
        .order_by()
        .values_list("photo_id", flat=True)
        .distinct()
    )
    _refresh_photos(list(photo_ids))


def photos_changed(photo_ids: Iterable[int]) -> None:
    """These photos were uploaded or their tags changed: recompute whether each is shareable.
    Call it inside the transaction of the change, after the change."""
    ids = sorted(set(photo_ids))
    if not ids:
        return
    children = set()
    for chunk in _chunks(ids):
        children |= set(
            PhotoTag.objects.filter(photo_id__in=many_ids(chunk))
            .order_by()
            .values_list("child_id", flat=True)
            .distinct()
        )
    _lock_children(children)
    _refresh_photos(ids)


def rebuild() -> None:
    """The whole projection from the decisions, without row locks: for a database nobody
    else writes to (a migration, seeding the demo or the bench, a test's set-up that wrote
    rows directly). Running systems are kept right by the functions above and checked by
    ``consent.verification``."""
    child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(child_ids):
        _write_states(rule_states(chunk))
    Photo.objects.update(shareable=~Exists(blocking_tags()))
    PhotoTag.objects.update(**_tag_copies())
