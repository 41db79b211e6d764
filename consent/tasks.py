"""Consent e-mails (R7: announce a new statement; R4: tell the other guardians of a change).

E-mails carry a link and no private content: no child names, no choices.
"""

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_portal_mail
from accounts.models import User
from consent.models import ConsentDecision, ConsentNotice, PrivacyStatement
from consent.verification import verify
from daycare.models import Guardianship
from outbox.services import enqueue

if TYPE_CHECKING:
    from django.db.models import QuerySet

ANNOUNCE_CHUNK = 500


def _parent_ids() -> "QuerySet[Guardianship, int]":
    """Users who are guardian of at least one child that is not archived."""
    return (
        Guardianship.objects.filter(child__archived_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


@shared_task(ignore_result=True)
def announce_statement_task(statement_id: int) -> None:
    """Split the announcement of a new version into chunks of parents; runs once per version."""
    claimed = PrivacyStatement.objects.filter(
        pk=statement_id, published_at__isnull=False, announced_at__isnull=True
    ).update(announced_at=timezone.now())
    if not claimed:
        return
    ids = list(_parent_ids())
    for start in range(0, len(ids), ANNOUNCE_CHUNK):
        enqueue(send_statement_mail_task, statement_id, ids[start : start + ANNOUNCE_CHUNK])


@shared_task(ignore_result=True)
def send_statement_mail_task(statement_id: int, user_ids: list[int]) -> None:

    statement = PrivacyStatement.objects.filter(pk=statement_id).first()
    if statement is None or statement.withdrawn_at is not None:
        return
    for email in User.objects.filter(pk__in=user_ids, is_active=True).values_list(
        "email", flat=True
    ):
        send_portal_mail(
            to=[email],
            template="consent/email/new_statement",
            context={
                "version": statement.version,
                "applies_from": statement.applies_from,
                "summary_nl": statement.summary_nl,
                "summary_en": statement.summary_en,
                "link": reverse("consent:upcoming")
                if statement.applies_from > timezone.now()
                else reverse("consent:statement"),
            },
        )


# At most one "a choice changed" e-mail per guardian per quarter hour (issue 19, finding 7;
# ASVS 2.4.1): 10 flips in 10 s used to send 10 e-mails. The first change is told at once; later
# ones within the window make one e-mail at its end.
NOTICE_WINDOW = timedelta(minutes=15)


def _send_choice_changed(user) -> None:
    send_portal_mail(
        to=[user.email],
        template="consent/email/choice_changed",
        context={"link": reverse("consent:overview")},
    )


@shared_task(ignore_result=True)
def notify_guardians_task(decision_ids: list[int]) -> None:
    """Tell each other guardian of the children these decisions are about: now, or grouped
    at the end of their quarter hour."""

    decisions = list(ConsentDecision.objects.filter(pk__in=decision_ids))
    if not decisions:
        return
    deciders = {decision.decided_by_id for decision in decisions}
    children = {decision.child_id for decision in decisions}
    user_ids = (
        Guardianship.objects.filter(child_id__in=children, user__is_active=True)
        .exclude(user_id__in=deciders)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=set(user_ids)).order_by("pk"):
        with transaction.atomic():
            ConsentNotice.objects.get_or_create(user=user)
            notice = ConsentNotice.objects.select_for_update().get(user=user)
            now = timezone.now()
            if notice.last_sent_at is None or now - notice.last_sent_at >= NOTICE_WINDOW:
                notice.last_sent_at, notice.due_at = now, None
                notice.save(update_fields=["last_sent_at", "due_at"])
                transaction.on_commit(partial(_send_choice_changed, user))
            elif notice.due_at is None:
                notice.due_at = notice.last_sent_at + NOTICE_WINDOW
                notice.save(update_fields=["due_at"])


@shared_task(ignore_result=True)
def send_due_consent_notices_task() -> int:
    """Beat, every minute: the grouped e-mails whose quarter hour is over."""
    now = timezone.now()
    sent = 0
    for notice_id in ConsentNotice.objects.filter(due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            notice = (
                ConsentNotice.objects.select_for_update()
                .select_related("user")
                .filter(pk=notice_id, due_at__lte=now)
                .first()
            )
            if notice is None:
                continue  # another worker sent it
            notice.last_sent_at, notice.due_at = now, None
            notice.save(update_fields=["last_sent_at", "due_at"])
            if notice.user.is_active:
                transaction.on_commit(partial(_send_choice_changed, notice.user))
                sent += 1
    return sent


@shared_task
def verify_projection_task() -> int:
    """Nightly (beat): check the consent projection against the decisions, close and repair
    any difference, leave a record for customer service (issue 16). Returns the differences."""

    return verify().differences
