"""Reads of messaging, scoped to a person: the one door to conversations (DESIGN.md).

Only the participants reach a conversation, its messages and its attachments (R12): the child's
guardians (parent pages, through ``guarded_children``) and the staff of the child's group and
location (staff pages, behind the staff guard and two-factor). Customer service and superusers see
every child on other staff pages, but take no part in conversations: they reach a child's messages
only through the retention archive and export. Archived children are gone for everyone, so their
conversations answer 404 too. Missing and forbidden look the same.
"""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from daycare.access import guarded_children, staff_scope
from daycare.models import Child, Guardianship, StaffAssignment
from messaging.models import Attachment, Conversation, Message, ReadMark, Side

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


# Two doors per object, one per audience (as ``daycare.access`` and ``photos.selectors``):
# parent pages call the ``*_for_parent`` functions, staff pages (behind the two-factor guard)
# the ``*_for_staff`` ones. No flag picks the policy.


def children_for_parent(user: "User") -> "QuerySet[Child]":
    """Children whose conversations a parent takes part in: their own (R12)."""
    return guarded_children(user)


def children_for_staff(user: "User") -> "QuerySet[Child]":
    """Children whose conversations a staff member takes part in (R12): only through their
    own groups and locations; customer service's reach to every child is oversight, not taking
    part, so it reaches no conversation here."""
    scope = staff_scope(user)
    if not scope.is_assigned:
        return Child.objects.none()
    q = Q(group_id__in=scope.group_ids) | Q(group__location_id__in=scope.location_ids)
    return Child.objects.filter(q, archived_at__isnull=True)


def conversations_for_parent(user: "User") -> "QuerySet[Conversation]":
    """The conversations of a parent's own children; every parent read of messaging starts
    here."""
    return Conversation.objects.filter(child__in=children_for_parent(user).values("pk"))


def conversations_for_staff(user: "User") -> "QuerySet[Conversation]":
    """The conversations a staff member takes part in; every staff read starts here."""
    return Conversation.objects.filter(child__in=children_for_staff(user).values("pk"))


def _get_conversation(conversations: "QuerySet[Conversation]", code: str) -> Conversation:
    try:
        return conversations.select_related("child__group__location", "started_by").get(code=code)
    except Conversation.DoesNotExist:
        raise Http404 from None


def get_conversation_for_parent(user: "User", code: str) -> Conversation:
    """The conversation with this code if it is about one of the parent's children; 404 for
    missing and forbidden alike."""
    return _get_conversation(conversations_for_parent(user), code)


def get_conversation_for_staff(user: "User", code: str) -> Conversation:
    """The conversation with this code if the staff member takes part in it; 404 for missing
    and forbidden alike."""
    return _get_conversation(conversations_for_staff(user), code)


def _get_attachment(conversations: "QuerySet[Conversation]", code: str) -> Attachment:
    try:
        return Attachment.objects.select_related("message").get(
            code=code,
            message__retracted_at__isnull=True,
            message__conversation__in=conversations.values("pk"),
        )
    except Attachment.DoesNotExist:
        raise Http404 from None


def get_attachment_for_parent(user: "User", code: str) -> Attachment:
    """An attachment of a message (not retracted) in one of the parent's conversations; 404
    otherwise. One query."""
    return _get_attachment(conversations_for_parent(user), code)


def get_attachment_for_staff(user: "User", code: str) -> Attachment:
    """An attachment of a message (not retracted) in a conversation the staff member takes
    part in; 404 otherwise. One query (and the staff scope, read once per request)."""
    return _get_attachment(conversations_for_staff(user), code)


def takes_part_for_child(user: "User", child: Child) -> bool:
    """Whether staff ``user`` takes part in the conversations about ``child``, from the staff
    scope read once per request (no query; ``child.group`` should be loaded)."""
    return staff_scope(user).assigned_to(child.group)


def _unread_messages(user: "User") -> "QuerySet[Message]":
    """Messages of others after this person's read mark."""
    mark = ReadMark.objects.filter(conversation=OuterRef("conversation"), user=user).values(
        "last_read_at"
    )[:1]
    return (
        Message.objects.filter(retracted_at__isnull=True)
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(Subquery(mark), Value(EPOCH)))
    )


def unread_messages_for_parent(user: "User") -> "QuerySet[Message]":
    """A parent's unread messages: everyone else's after their read mark."""
    return _unread_messages(user)


def unread_messages_for_staff(user: "User") -> "QuerySet[Message]":
    """A staff member's unread messages: the family's, after their read mark."""
    return _unread_messages(user).filter(side=Side.PARENT)


def unread_total_for_parent(user: "User") -> int:
    """Unread messages across a parent's conversations: one query (the navigation badge)."""
    children = children_for_parent(user)
    return (
        unread_messages_for_parent(user)
        .filter(conversation__child__in=children.values("pk"))
        .count()
    )


def unread_total_for_staff(user: "User") -> int:
    """Unread messages across a staff member's conversations: one query (the badge)."""
    children = children_for_staff(user)
    return (
        unread_messages_for_staff(user)
        .filter(conversation__child__in=children.values("pk"))
        .count()
    )


def unread_messages_of_child(user: "User") -> "QuerySet[Message]":
    """Unread messages of a parent about the child ``OuterRef("pk")``: for a subquery over the
    parent's own children (the navigation badge, ``portal/navigation.py``)."""
    return unread_messages_for_parent(user).filter(conversation__child=OuterRef("pk"))


def _with_unread(
    conversations: "QuerySet[Conversation]", unread_messages: "QuerySet[Message]"
) -> "QuerySet[Any]":
    unread = (
        unread_messages.filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return conversations.annotate(
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )


def with_unread_for_parent(
    conversations: "QuerySet[Conversation]", user: "User"
) -> "QuerySet[Any]":
    """Annotate ``unread`` (messages of others since my read mark) on a conversation queryset."""
    return _with_unread(conversations, unread_messages_for_parent(user))


def with_unread_for_staff(conversations: "QuerySet[Conversation]", user: "User") -> "QuerySet[Any]":
    """Annotate ``unread`` (the family's messages since my read mark) on a conversation
    queryset."""
    return _with_unread(conversations, unread_messages_for_staff(user))


def with_staff_read(conversations: "QuerySet[Conversation]") -> "QuerySet[Any]":
    """Annotate ``staff_read_at``: the latest moment a staff member read the conversation."""
    latest = (
        ReadMark.objects.filter(conversation=OuterRef("pk"), side=Side.STAFF)
        .order_by("-last_read_at")
        .values("last_read_at")[:1]
    )
    return conversations.annotate(staff_read_at=Subquery(latest))


def staff_read_at(conversation: Conversation) -> "datetime | None":
    mark = (
        ReadMark.objects.filter(conversation=conversation, side=Side.STAFF)
        .order_by("-last_read_at")
        .values_list("last_read_at", flat=True)
        .first()
    )
    return mark


def recipients(conversation: Conversation) -> "QuerySet[Any]":
    """Everyone taking part, as users: the guardians, the workers of the child's group and the
    managers of its location. Never customer service or a superuser as such (R12): they are
    not told about messages they cannot open."""

    child = conversation.child
    guardian = Exists(Guardianship.objects.filter(user=OuterRef("pk"), child_id=child.pk))
    staff = Exists(
        StaffAssignment.objects.filter(user=OuterRef("pk")).filter(
            Q(role=StaffAssignment.Role.GROUP_WORKER, group_id=child.group_id)
            | Q(role=StaffAssignment.Role.LOCATION_MANAGER, location_id=child.group.location_id)
        )
    )
    return (
        User.objects.filter(is_active=True).annotate(is_guardian=guardian).filter(guardian | staff)
    )
