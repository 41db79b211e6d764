"""Which photos a person may see: the inner wall for photos (R5, R10, R22).

Every photo page, thumbnail, display size, original, download, ZIP and export reads through
``photos_visible_to``. The rule is evaluated in SQL at every request, so one withdrawal (or an
archived child) hides a group photo from everyone at once.

- Parents (``staff=False``): photos with at least one tag on a child the user is a guardian of,
  while *every* tagged child has photo consent now and *no* tagged child is archived. Untagged
  photos reach no parent.
- Staff (``staff=True``): photos of the groups in their scope, with the same consent and
  archive rule for tagged children; untagged photos stay visible to the group's staff so they
  can tag them.

``photos_managed_by`` is the one wider door, for the staff photo list, tagging and deletion
only: it also lets through the photos that a tagged child without photo consent withholds,
marked ``withheld``, so staff can delete them (issue 5). It never serves a file.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from consent.models import Purpose
from consent.selectors import consent_holds
from daycare.access import guarded_children, staff_child_filter, staff_scope
from daycare.models import Child
from photos.models import Photo, PhotoTag

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _tags_without_consent():
    tags = PhotoTag.objects.filter(photo_id=OuterRef("pk"))
    return tags.exclude(consent_holds(Purpose.PHOTOS, "child_id"))


def _tags_of_archived_children():
    return PhotoTag.objects.filter(photo_id=OuterRef("pk"), child__archived_at__isnull=False)


def _shareable(queryset):
    """Drop photos with a tagged child who lacks photo consent or is archived (R5, R17)."""
    return queryset.exclude(Exists(_tags_without_consent())).exclude(
        Exists(_tags_of_archived_children())
    )


def photos_visible_to(user, *, staff: bool = False):
    """The photos ``user`` may see, as a parent (default) or as staff; see the module doc."""
    if not user.is_authenticated:
        return Photo.objects.none()
    if staff:
        scope = staff_scope(user)
        if not scope.is_staff:
            return Photo.objects.none()
        queryset = Photo.objects.filter(staff_child_filter(scope))
    else:
        mine = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child__in=guarded_children(user))
        queryset = Photo.objects.filter(Exists(mine))
    return _shareable(queryset)


def get_photo_for(user, code: str, *, staff: bool = False) -> Photo:
    """One photo the user may see; 404 for missing, forbidden and withdrawn alike."""
    try:
        return photos_visible_to(user, staff=staff).get(code=code)
    except Photo.DoesNotExist:
        raise Http404 from None


def photos_managed_by(user):
    """The photos of the groups in a staff member's scope that they may tag, untag and delete:
    those ``photos_visible_to(staff=True)`` gives, and also those withheld because a tagged
    child has no photo consent (any more), annotated ``withheld``. Without this, a photo stays
    stored but out of reach of everyone but a superuser once one guardian withdraws (issue 5).

    Only for the list, the tags and deletion: a withheld photo is shown as a placeholder and
    its files stay behind ``get_photo_for`` (R5, R22). Photos with an archived tagged child
    stay out, as everywhere for staff: retention deletes them or removes the tag (R17, R18)."""
    photos = Photo.objects.annotate(withheld=Exists(_tags_without_consent()))
    scope = staff_scope(user)  # empty for anonymous visitors
    if not scope.is_staff:
        return photos.none()
    return photos.filter(staff_child_filter(scope)).exclude(Exists(_tags_of_archived_children()))


def get_managed_photo_for(user, code: str, *, group) -> Photo:
    """One photo of ``group`` that the user may tag and delete (``photos_managed_by``);
    404 for missing, forbidden and another group's photo alike."""
    try:
        return photos_managed_by(user).get(code=code, group=group)
    except Photo.DoesNotExist:
        raise Http404 from None


def photos_of_child(user, child, *, staff: bool = False):
    """Photos of one child that the user may see (the child must be tagged in them)."""
    tagged = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child=child)
    return photos_visible_to(user, staff=staff).filter(Exists(tagged))


def all_photos_of_child(user, child):
    """``photos_of_child`` for a parent's pages over all of a child's photos (the gallery and
    its months, ZIP downloads): the same photos, with the rule applied in steps. When the user
    is a guardian of ``child``, every photo of the child is "theirs" (one query); one says
    which children tagged together with this child keep a photo from being shared right now
    (no photo consent, or archived); the photos are those of the child that show none of them.
    PostgreSQL then checks consent once per child instead of once per photo: the month list
    over two years of photos takes a quarter of the time (bench/queries.py, issue 10)."""
    if not user.is_authenticated:
        return Photo.objects.none()
    tagged = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child=child)
    photos = Photo.objects.filter(Exists(tagged))
    if not guarded_children(user).filter(pk=child.pk).exists():
        mine = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child__in=guarded_children(user))
        photos = photos.filter(Exists(mine))
    blocked = unshareable_children_with(child)
    if blocked:
        showing = PhotoTag.objects.filter(photo_id=OuterRef("pk"), child_id__in=blocked)
        photos = photos.exclude(Exists(showing))
    return photos


def unshareable_children_with(child) -> list[int]:
    """The children tagged on a photo of ``child`` (``child`` included) whose tag keeps a photo
    from being shared now: without photo consent, or archived (R5, R17). Two small queries:
    in one, PostgreSQL overestimates the rows so much that it plans a parallel, JIT-compiled
    query taking ten times longer than the work."""
    photo_ids = PhotoTag.objects.filter(child=child).values("photo_id")
    together = list(
        PhotoTag.objects.filter(photo_id__in=photo_ids)
        .order_by()
        .values_list("child_id", flat=True)
        .distinct()
    )
    return list(
        Child.objects.filter(pk__in=together)
        .filter(~consent_holds(Purpose.PHOTOS) | Q(archived_at__isnull=False))
        .order_by()
        .values_list("pk", flat=True)
    )


def photos_for_export(child):
    """Photos of ``child`` (who may be archived) shared under the consent rule: every tagged
    child has photo consent, and no *other* tagged child is archived (R5, R21)."""
    tags = PhotoTag.objects.filter(photo_id=OuterRef("pk"))
    tagged = tags.filter(child=child)
    without_consent = tags.exclude(consent_holds(Purpose.PHOTOS, "child_id"))
    other_archived = tags.filter(child__archived_at__isnull=False).exclude(child=child)
    return (
        Photo.objects.filter(Exists(tagged))
        .exclude(Exists(without_consent))
        .exclude(Exists(other_archived))
    )


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of a calendar month in Europe/Amsterdam, as aware datetimes."""
    start = datetime(year, month, 1, tzinfo=AMSTERDAM)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=AMSTERDAM)
    return start, end


def photos_for_child_day(user, child, dates) -> dict[date, list[Photo]]:
    """``{day: [photos]}`` of ``child`` taken on each of ``dates`` (Amsterdam calendar days)
    that ``user`` may see as a parent, in one query; for the diary timeline (R9, R10).
    Days without photos are present with an empty list."""
    days = sorted(set(dates))
    result: dict[date, list[Photo]] = {day: [] for day in days}
    if not days:
        return result
    start = datetime.combine(days[0], time.min, tzinfo=AMSTERDAM)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    photos = photos_of_child(user, child).filter(taken_at__gte=start, taken_at__lt=end)
    for photo in photos.order_by("taken_at", "pk"):
        day = photo.taken_at.astimezone(AMSTERDAM).date()
        if day in result:
            result[day].append(photo)
    return result


def with_tagged_children(queryset):
    """Prefetch the tags and their children (one extra query for a whole page)."""
    return queryset.prefetch_related(
        Prefetch("tags", queryset=PhotoTag.objects.select_related("child").order_by("child"))
    )
