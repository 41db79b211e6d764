"""Consent e-mails (R7: announce a new statement; R4: tell the other guardians of a change).

E-mails carry a link and no private content: no child names, no choices.
"""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentDecision, PrivacyStatement
from daycare.models import Guardianship
from outbox.services import enqueue
from portal.mail import send_portal_mail

ANNOUNCE_CHUNK = 500


def _parent_ids():
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
    from accounts.models import User

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


@shared_task(ignore_result=True)
def notify_guardians_task(decision_ids: list[int]) -> None:
    """One e-mail to each other guardian of the children these decisions are about."""
    decisions = list(ConsentDecision.objects.filter(pk__in=decision_ids))
    if not decisions:
        return
    deciders = {decision.decided_by_id for decision in decisions}
    children = {decision.child_id for decision in decisions}
    emails = (
        Guardianship.objects.filter(child_id__in=children, user__is_active=True)
        .exclude(user_id__in=deciders)
        .values_list("user__email", flat=True)
        .distinct()
    )
    for email in sorted(set(emails)):
        send_portal_mail(
            to=[email],
            template="consent/email/choice_changed",
            context={"link": reverse("consent:overview")},
        )
