"""Reads of news and newsletters, scoped to the requesting user (R13).

Parents see published items for the locations of their (non-archived) children, plus items for
the whole organisation. Publishers (location managers, customer service) see what they may edit.
Everything else is 404, the same answer as for an item that does not exist.
"""

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from daycare.access import guarded_children, staff_scope
from daycare.models import Location
from newsletters.models import Publication, ReadMark

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypedDict

    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    from accounts.models import User

LocationLink = Publication.locations.through

if TYPE_CHECKING:

    class _IsRead(TypedDict):
        is_read: bool


def parent_location_ids(user: "User") -> list[int]:
    return sorted(set(guarded_children(user).values_list("group__location_id", flat=True)))


def audience_filter(location_ids: "Iterable[int]") -> Q:
    return Q(for_all_locations=True) | Q(
        pk__in=LocationLink.objects.filter(location_id__in=location_ids).values("publication_id")
    )


def parent_publications(
    user: "User", *, location_ids: "Iterable[int] | None" = None
) -> "QuerySet[WithAnnotations[Publication, _IsRead]]":
    """Published items for this parent, newest first, with ``is_read``."""
    if location_ids is None:
        location_ids = parent_location_ids(user)
    if not location_ids:
        return Publication.objects.none()  # type: ignore[return-value]  # no rows to annotate
    return (
        Publication.objects.filter(audience_filter(location_ids), published_at__lte=timezone.now())
        .annotate(is_read=Exists(ReadMark.objects.filter(user=user, publication=OuterRef("pk"))))
        .order_by("-published_at", "-pk")
    )


def can_publish(user: "User") -> bool:
    scope = staff_scope(user)
    return scope.everything or bool(scope.location_ids)


def publishable_locations(user: "User") -> "QuerySet[Location]":
    scope = staff_scope(user)
    if scope.everything:
        return Location.objects.all()
    return Location.objects.filter(pk__in=scope.location_ids)


def editable_publications(user: "User") -> "QuerySet[Publication]":
    """Customer service: everything. A location manager: items only for their own locations."""
    scope = staff_scope(user)
    if scope.everything:
        return Publication.objects.all()
    if not scope.location_ids:
        return Publication.objects.none()
    foreign = LocationLink.objects.exclude(location_id__in=scope.location_ids).values(
        "publication_id"
    )
    own = LocationLink.objects.filter(location_id__in=scope.location_ids).values("publication_id")
    return Publication.objects.filter(for_all_locations=False, pk__in=own).exclude(pk__in=foreign)


def get_publication_for_parent(user: "User", code: str) -> Publication:
    """A published item in this parent's audience; 404 otherwise (the parent door)."""
    publication = parent_publications(user).filter(code=code).first()
    if publication is None:
        raise Http404
    return publication


def get_publication_for_publisher(user: "User", code: str) -> Publication:
    """An item this location manager or customer service may edit; 404 otherwise (the
    publisher door, staff pages)."""
    try:
        return editable_publications(user).get(code=code)
    except Publication.DoesNotExist:
        raise Http404 from None


def get_readable_publication_for(user: "User", code: str) -> Publication:
    """An item this user may open on the reading pages and their files: through the parent
    door, or else (a publisher checking what parents get) through the publisher door."""
    try:
        return get_publication_for_parent(user, code)
    except Http404:
        if not can_publish(user):
            raise
    return get_publication_for_publisher(user, code)
