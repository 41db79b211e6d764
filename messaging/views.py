"""Parent pages of messaging (R12): my conversations, start one, read and answer one.

Parents reach conversations only through their own children (the ``*_for_parent`` doors of
``messaging.selectors``); staff use the pages in staff_views.py behind the two-factor guard,
through the ``*_for_staff`` doors. The conversation page is shared: it gets a conversation its
caller's door already let through, and the side the reader writes from.
"""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from daycare.access import guarded_children
from files.delivery import deliver
from messaging import selectors, services
from messaging.forms import PreferenceForm, ReplyForm, StartForm
from messaging.models import Message, NotificationPreference, Side

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 50


def index(request):
    conversations = (
        selectors.with_staff_read(
            selectors.with_unread_for_parent(
                selectors.conversations_for_parent(request.user), request.user
            )
        )
        .select_related("child")
        .order_by("-last_message_at", "-pk")
    )
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/index.html", {"page": page})


def start(request):
    children = guarded_children(request.user).order_by("first_name")
    return start_page(request, children, side=Side.PARENT)


def start_page(request, children, *, side: Side, context: dict | None = None):
    """Start a conversation about one of ``children`` (the caller's door already limited them
    to the person's own), writing from ``side``. Shared by the parent and the staff page."""
    staff = side == Side.STAFF
    form = StartForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        children=children,
        initial={"child": request.GET.get("child")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.messaging_start(
                child=form.cleaned_data["child"],
                author=request.user,
                side=side,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("Your message has been sent."))
            base = "messaging_staff" if staff else "messaging"
            return redirect(f"{base}:conversation", code=conversation.code)
    return render(
        request, "messaging/start.html", {"form": form, "staff": staff, **(context or {})}
    )


def conversation_page(request, conversation, *, side: Side):
    """Read and answer one conversation: the newest messages on the last page, shown first.
    ``conversation`` comes from ``selectors.get_conversation_for_parent`` or ``_for_staff``, so
    the person takes part; ``side`` is the side they write from."""
    staff = side == Side.STAFF
    base = "messaging_staff" if staff else "messaging"
    form = ReplyForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.messaging_reply(
                    conversation=conversation,
                    author=request.user,
                    side=side,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachments"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                flash.success(request, _("Your message has been sent."))
                url = reverse(f"{base}:conversation", kwargs={"code": conversation.code})
                return redirect(f"{url}#reply")
    else:
        services.messaging_mark_read(conversation=conversation, user=request.user, side=side)
    messages_qs = (
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    paginator = Paginator(messages_qs, MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    staff_read_at = selectors.staff_read_at(conversation)
    now = timezone.now()
    for message in page:
        # Attributes for the template only.
        message.read_by_staff = bool(  # type: ignore[attr-defined]
            message.side == Side.PARENT and staff_read_at and staff_read_at >= message.created_at
        )
        message.can_retract = (  # type: ignore[attr-defined]
            message.author_id == request.user.pk
            and message.retracted_at is None
            and now - message.created_at <= services.RETRACT_WINDOW
        )
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": conversation,
            "child": conversation.child,
            "page": page,
            "form": form,
            "staff": staff,
            "base": base,
        },
    )


def conversation(request, code):
    conversation = selectors.get_conversation_for_parent(request.user, code)
    return conversation_page(request, conversation, side=Side.PARENT)


def retract_message(request, conversation, message_code, *, side: Side):
    """Retract one's own message in ``conversation`` (which the caller's door let through)."""
    message = Message.objects.filter(conversation=conversation, code=message_code).first()
    if message is None:
        raise Http404
    try:
        services.messaging_retract(message=message, user=request.user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("The message has been retracted."))
    base = "messaging_staff" if side == Side.STAFF else "messaging"
    return redirect(f"{base}:conversation", code=conversation.code)


@require_POST
def retract(request, code, message_code):
    conversation = selectors.get_conversation_for_parent(request.user, code)
    return retract_message(request, conversation, message_code, side=Side.PARENT)


def attachment(request, code):
    return deliver_attachment(selectors.get_attachment_for_parent(request.user, code))


def deliver_attachment(found):
    """The file of an attachment its caller's door let through: an image shown in the page,
    anything else downloaded."""
    return deliver(
        found.storage_key,
        filename=found.filename,
        content_type=found.content_type,
        attachment=not found.is_image,
    )


def preferences(request):
    instance = NotificationPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        instance=instance or NotificationPreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.messaging_set_preference(
            user=request.user,
            email_on_new_message=form.cleaned_data["email_on_new_message"],
        )
        flash.success(request, _("Your settings have been saved."))
        return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form})
