"""Who sees which child: the one place that decides (DESIGN.md, "One door to a child's data").

- guardians see their own children;
- group workers see the children of their groups;
- location managers see the children of their location;
- customer service (and superusers) see every child.
Archived children (R17) are gone for everyone here; only the retention archive reaches them.
A stranger asking for a child gets 404, the same answer as for a child that does not exist.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from daycare.models import Child, Group, Guardianship, Household, StaffAssignment

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


@dataclass(frozen=True)
class StaffScope:
    group_ids: frozenset[int] = field(default_factory=frozenset)
    location_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.everything or bool(self.group_ids) or bool(self.location_ids)

    @property
    def is_assigned(self) -> bool:
        """Works for a group or manages a location (customer service's reach to everything
        is not an assignment)."""
        return bool(self.group_ids) or bool(self.location_ids)

    def assigned_to(self, group: Group) -> bool:
        """Whether this person works for ``group`` or manages its location (no query)."""
        return group.pk in self.group_ids or group.location_id in self.location_ids


_EMPTY = StaffScope()


def staff_scope(user: "User") -> StaffScope:
    """The groups and locations a user works for, read once per request and kept on the user."""
    if not user.is_authenticated:
        return _EMPTY
    cached: StaffScope | None = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    read_with_user = getattr(user, "has_staff_assignment_at_load", None)  # 0/1 in SQLite
    if read_with_user is not None and not read_with_user:
        # The request's user, read with whether they have any staff role (portal.backends):
        # a parent needs no query of their own. Any other user object asks below.
        scope = StaffScope(everything=user.is_superuser)
        user._staff_scope = scope  # type: ignore[attr-defined]
        return scope
    group_ids, location_ids, roles = set(), set(), set()
    everything = user.is_superuser
    for role, group_id, location_id in StaffAssignment.objects.filter(user=user).values_list(
        "role", "group_id", "location_id"
    ):
        roles.add(role)
        if role == StaffAssignment.Role.GROUP_WORKER:
            group_ids.add(group_id)
        elif role == StaffAssignment.Role.LOCATION_MANAGER:
            location_ids.add(location_id)
        elif role == StaffAssignment.Role.CUSTOMER_SERVICE:
            everything = True
    scope = StaffScope(frozenset(group_ids), frozenset(location_ids), everything, frozenset(roles))
    user._staff_scope = scope  # type: ignore[attr-defined]
    return scope


def is_staff_member(user: "User") -> bool:
    return staff_scope(user).is_staff


def is_customer_service(user: "User") -> bool:
    return staff_scope(user).everything


def staff_child_filter(scope: StaffScope, prefix: str = "") -> Q:
    """A Q over children (or over a model reaching a child through ``prefix``) for staff."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.group_ids:
        q |= Q(**{f"{prefix}group_id__in": scope.group_ids})
    if scope.location_ids:
        q |= Q(**{f"{prefix}group__location_id__in": scope.location_ids})
    return q


def visible_children(user: "User", queryset: "QuerySet[Child] | None" = None) -> "QuerySet[Child]":
    queryset = Child.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    queryset = queryset.filter(archived_at__isnull=True)
    scope = staff_scope(user)
    if scope.everything:
        return queryset
    guardian_of = Guardianship.objects.filter(user=user).values("child_id")
    q = Q(pk__in=guardian_of)
    if scope.is_staff:
        q |= staff_child_filter(scope)
    return queryset.filter(q)


def guarded_children(user: "User") -> "QuerySet[Child]":
    """Only the children this user is a guardian of (parent pages), never staff reach."""
    if not user.is_authenticated:
        return Child.objects.none()
    return Child.objects.filter(archived_at__isnull=True, guardianships__user=user)


def is_guardian(user: "User", child: Child) -> bool:
    return Guardianship.objects.filter(user=user, child=child).exists()


def get_child_for(user: "User", code: str) -> Child:
    """The child with this code if the user may see it; 404 for missing and forbidden alike.

    The same query says whether the user is a guardian of the child, so that a parent page
    behind the consent gate (which asks first) needs no second query for the child."""
    try:
        child = (
            visible_children(user)
            .select_related("group__location")
            .annotate(
                guarded_by_user=Exists(
                    Guardianship.objects.filter(user=user.pk, child_id=OuterRef("pk"))
                )
            )
            .get(code=code)
        )
    except Child.DoesNotExist:
        raise Http404 from None
    if child.guarded_by_user:
        # For get_guarded_child_for in this request.
        user._guarded_child = child  # type: ignore[attr-defined]
    return child


def get_guarded_child_for(user: "User", code: str) -> Child:
    """A child of which the user is a guardian (parent pages); 404 otherwise."""
    known: Child | None = getattr(user, "_guarded_child", None)
    if known is not None and known.code == code and known.archived_at is None:
        return known
    try:
        return guarded_children(user).select_related("group__location").get(code=code)
    except Child.DoesNotExist:
        raise Http404 from None


def assigned_groups(user: "User") -> "QuerySet[Group]":
    """The groups a user works for or whose location they manage; none for customer service
    or a superuser as such."""
    scope = staff_scope(user)
    if not scope.is_assigned:
        return Group.objects.none()
    return Group.objects.filter(Q(pk__in=scope.group_ids) | Q(location_id__in=scope.location_ids))


def visible_groups(user: "User") -> "QuerySet[Group]":
    """Groups whose staff pages this user may open."""
    if staff_scope(user).everything:
        return Group.objects.all()
    return assigned_groups(user)


def _get_group(groups: "QuerySet[Group]", code: str) -> Group:
    try:
        return groups.select_related("location").get(code=code)
    except Group.DoesNotExist:
        raise Http404 from None


def get_group_for(user: "User", code: str) -> Group:
    """A group whose staff pages this user may open (``visible_groups``), or 404."""
    return _get_group(visible_groups(user), code)


def get_assigned_group_for(user: "User", code: str) -> Group:
    """A group this user works for or whose location they manage (``assigned_groups``), or
    404: without the groups customer service reaches only through its oversight (messaging:
    R12)."""
    return _get_group(assigned_groups(user), code)


def household_member_ids(user: "User") -> set[int]:
    """People the organisation marked as one household with ``user`` (R27): the only other
    guardians whose contact details this user may see."""

    if not user.is_authenticated:
        return set()
    return set(
        Household.members.through.objects.filter(household__members=user)
        .exclude(user_id=user.pk)
        .values_list("user_id", flat=True)
    )
