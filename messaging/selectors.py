"""Reads of messaging, scoped to a person: the one door to conversations (DESIGN.md).

Only the participants reach a conversation, its messages and its attachments (R12): the child's
guardians (parent pages, through ``guarded_children``) and the staff of the child's group and
location (staff pages, behind the staff guard and two-factor). Customer service and superusers see
every child on other staff pages, but take no part in conversations: they reach a child's messages
only through the retention archive and export. Archived children are gone for everyone, so their
conversations answer 404 too. Missing and forbidden look the same.
"""

from datetime import UTC, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from daycare.access import guarded_children, staff_scope
from daycare.models import Child, Guardianship, StaffAssignment
from messaging.models import Attachment, Conversation, Message, ReadMark, Side

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def conversations_for(user, *, staff: bool):
    """The conversations this person takes part in (R12); every read of messaging starts here."""
    children = participating_children(user, staff=staff)
    return Conversation.objects.filter(child__in=children.values("pk"))


def get_conversation_for(user, code: str, *, staff: bool = False) -> Conversation:
    """The conversation with this code if the person may reach it; 404 for missing and
    forbidden alike. ``staff=True`` only on staff pages (behind the two-factor guard)."""
    try:
        return (
            conversations_for(user, staff=staff)
            .select_related("child__group__location", "started_by")
            .get(code=code)
        )
    except Conversation.DoesNotExist:
        raise Http404 from None


def get_attachment_for(user, code: str, *, staff: bool = False) -> Attachment:
    try:
        return Attachment.objects.select_related("message").get(
            code=code,
            message__retracted_at__isnull=True,
            message__conversation__in=conversations_for(user, staff=staff).values("pk"),
        )
    except Attachment.DoesNotExist:
        raise Http404 from None


def participating_children(user, *, staff: bool):
    """Children whose conversations this person takes part in (R12). Staff: only through their
    own groups and locations; customer service's reach to every child is oversight, not taking
    part, so it reaches no conversation here."""
    if not staff:
        return guarded_children(user)
    scope = staff_scope(user)
    if not scope.is_assigned:
        return Child.objects.none()
    q = Q(group_id__in=scope.group_ids) | Q(group__location_id__in=scope.location_ids)
    return Child.objects.filter(q, archived_at__isnull=True)


def takes_part_for_child(user, child) -> bool:
    """Whether staff ``user`` takes part in the conversations about ``child``, from the staff
    scope read once per request (no query; ``child.group`` should be loaded)."""
    return staff_scope(user).assigned_to(child.group)


def _unread_messages(user, *, staff: bool):
    """Messages of others after this person's read mark (for staff: the family's messages)."""
    mark = ReadMark.objects.filter(conversation=OuterRef("conversation"), user=user).values(
        "last_read_at"
    )[:1]
    qs = (
        Message.objects.filter(retracted_at__isnull=True)
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(Subquery(mark), Value(EPOCH)))
    )
    if staff:
        qs = qs.filter(side=Side.PARENT)
    return qs


def unread_total(user, *, staff: bool) -> int:
    """Unread messages across this person's conversations: one query (the navigation badge)."""
    children = participating_children(user, staff=staff)
    return (
        _unread_messages(user, staff=staff)
        .filter(conversation__child__in=children.values("pk"))
        .count()
    )


def unread_messages_of_child(user):
    """Unread messages of a parent about the child ``OuterRef("pk")``: for a subquery over the
    parent's own children (the navigation badge, ``portal/navigation.py``)."""
    return _unread_messages(user, staff=False).filter(conversation__child=OuterRef("pk"))


def with_unread(conversations, user, *, staff: bool):
    """Annotate ``unread`` (messages of others since my read mark) on a conversation queryset."""
    unread = (
        _unread_messages(user, staff=staff)
        .filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return conversations.annotate(
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )


def with_staff_read(conversations):
    """Annotate ``staff_read_at``: the latest moment a staff member read the conversation."""
    latest = (
        ReadMark.objects.filter(conversation=OuterRef("pk"), side=Side.STAFF)
        .order_by("-last_read_at")
        .values("last_read_at")[:1]
    )
    return conversations.annotate(staff_read_at=Subquery(latest))


def staff_read_at(conversation):
    mark = (
        ReadMark.objects.filter(conversation=conversation, side=Side.STAFF)
        .order_by("-last_read_at")
        .values_list("last_read_at", flat=True)
        .first()
    )
    return mark


def recipients(conversation: Conversation):
    """Everyone taking part, as users: the guardians, the workers of the child's group and the
    managers of its location. Never customer service or a superuser as such (R12): they are
    not told about messages they cannot open."""
    from accounts.models import User

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
