"""Writes of the consent app. ConsentDecision rows are only ever created, here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consent.models import Channel, ConsentDecision, PrivacyStatement, Purpose, StatementAcceptance
from daycare.models import Child, Guardianship
from portal.errors import DomainError


def current_statement() -> PrivacyStatement | None:
    return (
        PrivacyStatement.objects.filter(published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def has_accepted_current_statement(user) -> bool:
    statement = current_statement()
    if statement is None:
        return True
    return StatementAcceptance.objects.filter(user=user, statement=statement).exists()


def statement_accept(*, user: User, statement: PrivacyStatement) -> StatementAcceptance:
    """Record that the user accepted this version (R7). Only the current version is accepted."""
    current = current_statement()
    if current is None or statement.pk != current.pk:
        raise DomainError(
            _("This version of the privacy statement is no longer current. Read the new one.")
        )
    acceptance, _created = StatementAcceptance.objects.get_or_create(user=user, statement=statement)
    return acceptance


def consent_decide(
    *,
    child: Child,
    purpose: str,
    given: bool,
    decided_by: User,
    recorded_by: User | None = None,
    channel: str = Channel.PORTAL,
) -> ConsentDecision:
    """Append a decision (R4, R6). ``decided_by`` must be a guardian of the child; customer
    service records a paper decision with ``recorded_by`` set to itself and channel paper."""
    if purpose not in Purpose.values:
        raise DomainError(_("Choose photos or diary."))
    if child.archived_at is not None:
        raise DomainError(_("This child's data is archived: consent can no longer be changed."))
    if not Guardianship.objects.filter(child=child, user=decided_by).exists():
        raise DomainError(_("Only a guardian of this child can decide about consent."))
    statement = current_statement()
    if statement is None:
        raise DomainError(_("There is no published privacy statement yet."))
    with transaction.atomic():
        decision = ConsentDecision.objects.create(
            child=child,
            purpose=purpose,
            given=given,
            decided_by=decided_by,
            recorded_by=recorded_by or decided_by,
            statement=statement,
            channel=channel,
        )
    return decision
