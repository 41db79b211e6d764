"""Reads of the retention app, scoped to the person asking (DESIGN.md, "One door")."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from consent.models import ConsentDecision
from daycare.access import guarded_children, is_customer_service
from daycare.models import Child
from photos.models import PhotoTag
from retention import schedule
from retention.models import DataRequest, Export

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from accounts.models import User

WARN_DAYS = 7


def window_of(children: "Iterable[Any]", today: date | None = None) -> list[tuple[Child, date]]:
    """``children_in_window`` from a user's children already read with ``last_contract_end``
    and ``has_running_contract`` (the parent navigation's query, ``portal.navigation``): no
    query of its own."""
    today = today or timezone.localdate()
    ended = sorted(
        (
            child
            for child in children
            if not child.has_running_contract and child.last_contract_end is not None
        ),
        key=lambda child: (child.last_contract_end, child.first_name),
    )
    return [
        (child, schedule.access_ends_on(child.last_contract_end))
        for child in ended
        if schedule.stage(child.last_contract_end, today) == schedule.Stage.VISIBLE
    ]


def children_in_window(user: "User", today: date | None = None) -> list[tuple[Child, date]]:
    """The user's children whose care ended and who are still visible: (child, last day of
    access) for the banner and the download button (R16). One query."""
    today = today or timezone.localdate()
    rows = (
        guarded_children(user)
        .annotate(
            last_end=Max("contracts__end_date"),
            running=Count(
                "contracts",
                filter=Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=today),
            ),
        )
        .filter(running=0, last_end__isnull=False)
        .order_by("last_end", "first_name")
    )
    return [
        (child, schedule.access_ends_on(child.last_end))
        for child in rows
        if schedule.stage(child.last_end, today) == schedule.Stage.VISIBLE
    ]


def get_export_for(user: "User", code: str) -> Export:
    """An export its requester may download: ready, not expired, and its child not archived
    (unless the requester is customer service). 404 for everything else, alike."""
    try:
        export = Export.objects.select_related("child").get(code=code, requested_by=user)
    except Export.DoesNotExist:
        raise Http404 from None
    if export.child and not is_customer_service(user):
        if export.child.archived_at:
            raise Http404
        if not guarded_children(user).filter(pk=export.child.pk).exists():
            raise Http404  # no longer this child's guardian
    return export


def consent_refused_since(export: Export) -> bool:
    """True when photo or diary consent was refused, after this export was asked for, for its
    child or for a child tagged in one of its child's photos (R4, R5: a withdrawal takes effect
    everywhere, so a ZIP built before it is no longer handed out). Not for customer service's
    own exports (access requests, the archive), which are no parent's view."""

    if not export.child_id or is_customer_service(export.requested_by):
        return False
    tagged_together = PhotoTag.objects.filter(photo__tags__child_id=export.child_id).values(
        "child_id"
    )
    return ConsentDecision.objects.filter(
        Q(child_id=export.child_id) | Q(child_id__in=tagged_together),
        given=False,
        decided_at__gte=export.created_at,
    ).exists()


def archived_children(user: "User") -> "QuerySet[Child]":
    if not is_customer_service(user):
        return Child.objects.none()
    return Child.objects.filter(archived_at__isnull=False)


def get_archived_child_for(user: "User", code: str) -> Child:
    try:
        return archived_children(user).select_related("group__location").get(code=code)
    except Child.DoesNotExist:
        raise Http404 from None


def requests_for_service(user: "User") -> "QuerySet[DataRequest]":
    if not is_customer_service(user):
        return DataRequest.objects.none()
    return DataRequest.objects.select_related("requested_by", "child", "handler")


def get_request_for_service(user: "User", code: str) -> DataRequest:
    try:
        return requests_for_service(user).get(code=code)
    except DataRequest.DoesNotExist:
        raise Http404 from None


def requests_near_deadline(today: date) -> "QuerySet[DataRequest]":
    return DataRequest.objects.filter(
        status__in=DataRequest.OPEN_STATUSES, deadline__lte=today + timedelta(days=WARN_DAYS)
    ).order_by("deadline")
