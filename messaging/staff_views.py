"""Staff pages of messaging (R12): an inbox per group, start a conversation with a family,
read and answer. Behind the staff guard (staff role + two-factor). Only the staff taking part
(the workers of the child's group and the managers of its location) reach these pages' data:
customer service sees no inbox and gets 404 on a group's inbox and conversations."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_POST

from daycare.access import assigned_groups, get_assigned_group_for
from messaging import selectors
from messaging.models import Side
from messaging.views import conversation_page, deliver_attachment, retract_message, start_page

INBOX_PER_PAGE = 25


def index(request):
    """My groups, each with its number of conversations waiting for an answer."""
    groups = (
        assigned_groups(request.user)  # the inboxes of the groups this person takes part for
        .select_related("location")
        .annotate(
            waiting=Count(
                "children__conversations",
                filter=Q(
                    children__archived_at__isnull=True,
                    children__conversations__awaiting_staff_reply=True,
                ),
            )
        )
        .order_by("location__name", "name")
    )
    return render(request, "messaging/staff/index.html", {"groups": groups})


def inbox(request, code):
    group = get_assigned_group_for(request.user, code)
    conversations = (
        selectors.with_unread_for_staff(
            selectors.conversations_for_staff(request.user).filter(
                child__group=group, child__archived_at__isnull=True
            ),
            request.user,
        )
        .select_related("child")
        .order_by("-awaiting_staff_reply", "-last_message_at", "-pk")
    )
    page = Paginator(conversations, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/staff/inbox.html", {"group": group, "page": page})


def start(request, code):
    group = get_assigned_group_for(request.user, code)
    children = selectors.children_for_staff(request.user).filter(group=group)
    return start_page(
        request, children.order_by("first_name"), side=Side.STAFF, context={"group": group}
    )


def conversation(request, code):
    conversation = selectors.get_conversation_for_staff(request.user, code)
    return conversation_page(request, conversation, side=Side.STAFF)


@require_POST
def retract(request, code, message_code):
    conversation = selectors.get_conversation_for_staff(request.user, code)
    return retract_message(request, conversation, message_code, side=Side.STAFF)


def attachment(request, code):
    return deliver_attachment(selectors.get_attachment_for_staff(request.user, code))
