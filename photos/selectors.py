"""Which photos a person may see: the inner wall for photos (R5, R10, R22).

Every photo page, thumbnail, display size, original, download, ZIP and export reads through
this module. Whether a photo may be shared now (every tagged child has photo consent and none
is archived) is kept by the consent projection (``consent.projection``) in ``Photo.shareable``
and, with the photo's date, on each tag: a read is a lookup on indexed columns, and the write
that withdraws a consent or archives a child hides the photo in its own transaction, so one
withdrawal hides a group photo from everyone on the very next request (issue 16).

Two doors per object, one per audience:

- parents: ``photos_for_parent(user)`` / ``get_photo_for_parent(user, code)``: shareable
  photos with a tag (not blurred) on a child the user is a guardian of. Untagged photos reach
  no parent.
- staff: ``photos_for_staff(user)`` / ``get_photo_for_staff(user, code)``: shareable photos of
  the groups in their scope; untagged photos stay visible to the group's staff so they can tag
  them.

``photos_managed_by`` is the one wider door, for the staff photo list, tagging and deletion
only: it also lets through the photos that a tagged child without photo consent withholds,
marked ``withheld``, so staff can delete them (issue 5). It never serves a file.
"""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.db.models.fields import BooleanField
from django.db.models.functions import TruncMonth
from django.http import Http404

from consent.models import Purpose
from consent.selectors import consent_holds
from core.compiled import Compiled
from daycare.access import staff_child_filter, staff_scope
from photos.models import Photo, PhotoTag

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from accounts.models import User
    from daycare.models import Child, Group

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _tags_of_archived_children() -> "QuerySet[PhotoTag]":
    return PhotoTag.objects.filter(photo_id=OuterRef("pk"), child__archived_at__isnull=False)


def _unprojected_tags() -> "QuerySet[PhotoTag]":
    """A tag the projection has not (yet) marked shareable: written past the services, so the
    photo stays closed until the projection or its nightly check has looked (fail closed)."""
    return PhotoTag.objects.filter(photo_id=OuterRef("pk"), blurred=False, shareable=False)


def photos_for_parent(user: "User") -> "QuerySet[Photo]":
    """The photos ``user`` may see as a parent: shareable, with a tag (not blurred) on one of
    their children."""
    if not user.is_authenticated:
        return Photo.objects.none()
    return _photos_for_parent_id(user.pk)


def _photos_for_parent_id(user_id: int) -> "QuerySet[Photo]":
    mine = PhotoTag.objects.filter(
        photo_id=OuterRef("pk"), blurred=False, child__guardianships__user_id=user_id
    )
    return (
        Photo.objects.filter(shareable=True)
        .filter(Exists(mine.filter(shareable=True)))
        .exclude(Exists(_unprojected_tags()))
    )


def photos_for_staff(user: "User") -> "QuerySet[Photo]":
    """The photos ``user`` may see as staff: shareable photos of the groups in their scope."""
    scope = staff_scope(user)  # empty for anonymous visitors
    if not scope.is_staff:
        return Photo.objects.none()
    # A photo the face guard holds (issue 18) has tags that say "no" on purpose (parents read
    # them); its staff still see it, to review its faces.
    return (
        Photo.objects.filter(shareable=True)
        .filter(staff_child_filter(scope))
        .exclude(Q(held=False) & Exists(_unprojected_tags()))
    )


# The file request parents make most: the same query as ``photos_for_parent(user)
# .get(code=code)``, compiled once (core/compiled.py; issue 16).
_photo_for_parent = Compiled(
    Photo,
    lambda user_id, code: _photos_for_parent_id(user_id).filter(code=code)[:2],
    user_id=-740_316_925,  # no user has this id
    code="\x00no-photo-code",  # no code has a NUL
)


def get_photo_for_parent(user: "User", code: str) -> Photo:
    """One photo the user may see as a parent; 404 for missing, forbidden and withdrawn alike.
    One query."""
    if not user.is_authenticated:
        raise Http404
    found: list[Photo] = _photo_for_parent.rows(user_id=user.pk, code=code)
    if len(found) != 1:
        raise Http404
    return found[0]


def get_photo_for_staff(user: "User", code: str) -> Photo:
    """One photo the user may see as staff; 404 for missing, forbidden and withdrawn alike.
    One query (and the staff scope, read once per request)."""
    try:
        return photos_for_staff(user).get(code=code)
    except Photo.DoesNotExist:
        raise Http404 from None


def photos_managed_by(user: "User") -> "QuerySet[Photo]":
    """The photos of the groups in a staff member's scope that they may tag, untag and delete:
    those ``photos_for_staff`` gives, and also those withheld because a tagged child has no
    photo consent (any more), annotated ``withheld``. Without this, a photo stays stored but
    out of reach of everyone but a superuser once one guardian withdraws (issue 5).

    Only for the list, the tags and deletion: a withheld photo is shown as a placeholder and
    its files stay behind ``get_photo_for_staff`` (R5, R22). Photos with an archived tagged
    child stay out, as everywhere for staff: retention deletes them or removes the tag (R17,
    R18), so among the rest "not shareable" means withheld."""
    photos = Photo.objects.annotate(
        withheld=ExpressionWrapper(Q(shareable=False), output_field=BooleanField())
    )
    scope = staff_scope(user)  # empty for anonymous visitors
    if not scope.is_staff:
        return photos.none()
    return photos.filter(staff_child_filter(scope)).exclude(Exists(_tags_of_archived_children()))


def get_managed_photo_for(user: "User", code: str, *, group: "Group") -> Photo:
    """One photo of ``group`` that the user may tag and delete (``photos_managed_by``);
    404 for missing, forbidden and another group's photo alike."""
    try:
        return photos_managed_by(user).get(code=code, group=group)
    except Photo.DoesNotExist:
        raise Http404 from None


def photos_of_child(user: "User", child: "Child") -> "QuerySet[Photo]":
    """Photos of one child (tagged, not blurred) that the user may see as a parent: also group
    photos of another child when one of the user's own children is on them."""
    tagged = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child=child, blurred=False)
    return photos_for_parent(user).filter(Exists(tagged))


def all_photos_of_child(user: "User", child: "Child") -> "QuerySet[Photo]":
    """The photos of ``child`` that ``user``, a guardian of ``child``, may see (the gallery
    and its months, ZIP downloads, the diary timeline): the child's shareable tags, a range
    over the tag index (child, shareable, date), joined with the user's guardianship of the
    child. Anyone else gets none. One query."""
    return _photos_by_shareable_tag(user, child)


def photos_of_child_between(
    user: "User", child: "Child", start: datetime, end: datetime
) -> "QuerySet[Photo]":
    """``all_photos_of_child`` taken from ``start`` up to ``end`` (exclusive), on the tag's
    copy of the date, so the index decides the range."""
    return _photos_by_shareable_tag(user, child, tags__taken_at__gte=start, tags__taken_at__lt=end)


def _photos_by_shareable_tag(user: "User", child: "Child", **tag_range: Any) -> "QuerySet[Photo]":
    """The photos in which ``child`` has a shareable, unblurred tag, for a guardian ``user``.
    One ``filter`` call, so that every condition (and ``tag_range``) is on the same tag row."""
    if not user.is_authenticated:
        return Photo.objects.none()
    return Photo.objects.filter(
        tags__child=child,
        tags__shareable=True,
        tags__blurred=False,
        tags__child__guardianships__user=user,
        **tag_range,
    )


def photo_months(user: "User", child: "Child") -> list[dict[str, Any]]:
    """``[{"month": aware datetime, "count": n}]``, newest first: the months in which
    ``all_photos_of_child`` has photos, counted on the tag index."""
    if not user.is_authenticated:
        return []
    # values() rows are dicts; the stubs type them as a TypedDict.
    return list(
        PhotoTag.objects.filter(  # type: ignore[arg-type]
            child=child, shareable=True, blurred=False, child__guardianships__user=user
        )
        .order_by()
        .annotate(month=TruncMonth("taken_at", tzinfo=AMSTERDAM))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )


def photos_for_export(child: "Child") -> "QuerySet[Photo]":
    """Photos of ``child`` (who may be archived) shared under the consent rule: every tagged
    child (not blurred) has photo consent, and no *other* tagged child is archived (R5, R21).
    Consent is read from the projection."""
    tags = PhotoTag.objects.filter(photo_id=OuterRef("pk"), blurred=False)
    tagged = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child=child, blurred=False)
    without_consent = tags.exclude(consent_holds(Purpose.PHOTOS, "child_id"))
    other_archived = tags.filter(child__archived_at__isnull=False).exclude(child=child)
    return (
        Photo.objects.filter(Exists(tagged), held=False)  # held by the face guard: issue 18
        .exclude(Exists(without_consent))
        .exclude(Exists(other_archived))
    )


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of a calendar month in Europe/Amsterdam, as aware datetimes."""
    start = datetime(year, month, 1, tzinfo=AMSTERDAM)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=AMSTERDAM)
    return start, end


def photos_for_child_day(
    user: "User", child: "Child", dates: "Iterable[date]"
) -> dict[date, list[Photo]]:
    """``{day: [photos]}`` of ``child`` taken on each of ``dates`` (Amsterdam calendar days)
    that ``user`` may see as a parent, in one query; for the diary timeline (R9, R10).
    Days without photos are present with an empty list."""
    days = sorted(set(dates))
    result: dict[date, list[Photo]] = {day: [] for day in days}
    if not days:
        return result
    start = datetime.combine(days[0], time.min, tzinfo=AMSTERDAM)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    photos = photos_of_child_between(user, child, start, end)
    for photo in photos.order_by("taken_at", "pk"):
        day = photo.taken_at.astimezone(AMSTERDAM).date()
        if day in result:
            result[day].append(photo)
    return result


def with_tagged_children(queryset: "QuerySet[Photo]") -> "QuerySet[Photo]":
    """Prefetch the tags and their children (one extra query for a whole page)."""
    return queryset.prefetch_related(
        Prefetch("tags", queryset=PhotoTag.objects.select_related("child").order_by("child"))
    )
