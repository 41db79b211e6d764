"""Writes of the consent app. ConsentDecision rows are only ever created, here (R6)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consent import projection
from consent.models import Channel, ConsentDecision, PrivacyStatement, Purpose, StatementAcceptance
from consent.tasks import _parent_ids, announce_statement_task, notify_guardians_task
from core.errors import DomainError
from daycare.models import Child, Guardianship
from outbox.services import enqueue

# The banner's cached announcement (consent/panels.py); publish and withdraw clear it.
ANNOUNCED_KEY = "consent:announced-statement"


def _forget_announcement() -> None:
    from django.core.cache import cache

    transaction.on_commit(lambda: cache.delete(ANNOUNCED_KEY))


def current_statement() -> PrivacyStatement | None:
    """The version in force (R7): a scheduled version takes over on its effective date."""
    return PrivacyStatement.objects.in_force().order_by("-version").first()


def scheduled_statement() -> PrivacyStatement | None:
    """The announced version that does not apply yet, if any (R7)."""
    return PrivacyStatement.objects.scheduled().order_by("-version").first()


def earliest_effective_date(now: datetime.datetime | None = None) -> datetime.date:
    """The first day a version published now may apply: STATEMENT_NOTICE_DAYS ahead (R7).
    The very first version needs no notice: there is nothing in force to keep."""
    today = timezone.localdate(now)
    if current_statement() is None:
        return today
    return today + datetime.timedelta(days=settings.STATEMENT_NOTICE_DAYS)


def parents_to_announce_count() -> int:
    """How many parents the announcement e-mails (the publish page asks with this number)."""

    return User.objects.filter(pk__in=_parent_ids(), is_active=True).count()


def statement_accept(*, user: User, statement: PrivacyStatement) -> StatementAcceptance:
    """Record that the user accepted this version (R7). Only the current version is accepted."""
    current = current_statement()
    if current is None or statement.pk != current.pk:
        raise DomainError(
            _("This version of the privacy statement is no longer current. Read the new one.")
        )
    acceptance, _created = StatementAcceptance.objects.get_or_create(user=user, statement=statement)
    return acceptance


def statement_publish(
    *,
    statement: PrivacyStatement,
    effective_on: datetime.date,
    now: datetime.datetime | None = None,
) -> PrivacyStatement:
    """Publish a drafted version that applies from ``effective_on`` (R7).

    Publishing announces it now (an e-mail to every parent and a banner with what changes and
    a link to the new text); the current version stays in force and nobody is blocked until the
    effective date, which must be at least STATEMENT_NOTICE_DAYS away. From that day every
    parent accepts the new version at their next visit. The text is immutable from now on; the
    version can still be withdrawn until it applies.
    """

    now = now or timezone.now()
    earliest = earliest_effective_date(now)
    if effective_on < earliest:
        raise DomainError(
            _(
                "Parents must be told at least %(days)s days before a new version applies: "
                "choose %(date)s or later."
            )
            % {
                "days": settings.STATEMENT_NOTICE_DAYS,
                "date": formats.date_format(earliest, "j F Y"),
            }
        )
    with transaction.atomic():
        waiting = scheduled_statement()
        if waiting is not None and waiting.pk != statement.pk:
            raise DomainError(
                _("Version %(version)s is already announced. Withdraw it first.")
                % {"version": waiting.version}
            )
        statement = PrivacyStatement.objects.select_for_update().get(pk=statement.pk)
        if statement.published_at is not None:
            raise DomainError(_("This version has already been published."))
        newest = PrivacyStatement.objects.filter(
            published_at__isnull=False, withdrawn_at__isnull=True
        ).aggregate(newest=Max("version"))["newest"]
        if newest is not None and statement.version <= newest:
            raise DomainError(
                _("Version %(version)s is not newer than the published version %(newest)s.")
                % {"version": statement.version, "newest": newest}
            )
        if not statement.text_nl.strip() or not statement.text_en.strip():
            raise DomainError(_("Write the Dutch and the English text before publishing."))
        statement.published_at = now
        statement.effective_at = max(
            now,
            timezone.make_aware(datetime.datetime.combine(effective_on, datetime.time.min)),
        )
        statement.save(update_fields=["published_at", "effective_at"])
        _forget_announcement()
        statement_id = statement.pk
        enqueue(announce_statement_task, statement_id)
    return statement


def statement_withdraw(
    *, statement: PrivacyStatement, now: datetime.datetime | None = None
) -> PrivacyStatement:
    """Withdraw an announced version before it applies (R7): it never applies, the banner
    goes, the version in force stays. Acceptances never refer to it (it never applied)."""
    now = now or timezone.now()
    with transaction.atomic():
        statement = PrivacyStatement.objects.select_for_update().get(pk=statement.pk)
        if statement.published_at is None:
            raise DomainError(_("This version has not been published."))
        if statement.withdrawn_at is not None:
            raise DomainError(_("This version has already been withdrawn."))
        if statement.applies_from <= now:
            raise DomainError(
                _("This version already applies and can no longer be withdrawn. Publish a new one.")
            )
        statement.withdrawn_at = now
        statement.save(update_fields=["withdrawn_at"])
        _forget_announcement()
    return statement


def _check_decision(*, child: Child, purpose: str, decided_by: User) -> None:
    if purpose not in Purpose.values:
        raise DomainError(_("Choose photos or diary."))
    if child.archived_at is not None:
        raise DomainError(_("This child's data is archived: consent can no longer be changed."))
    if not Guardianship.objects.filter(child=child, user=decided_by).exists():
        raise DomainError(_("Only a guardian of this child can decide about consent."))


def _notify_other_guardians(decisions: list[ConsentDecision]) -> None:

    ids = [decision.pk for decision in decisions]
    if ids:
        enqueue(notify_guardians_task, ids)


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
    service records a paper decision with ``recorded_by`` set to itself and channel paper.
    The child's other guardians get an e-mail (after commit)."""
    _check_decision(child=child, purpose=purpose, decided_by=decided_by)
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."))
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
        projection.children_changed([child.pk])
        _notify_other_guardians([decision])
    return decision


def consent_decide_many(
    *, decided_by: User, choices: list[tuple[Child, str, bool]]
) -> list[ConsentDecision]:
    """The first-login choices (R1): several decisions of one guardian, all or none, and one
    e-mail to each other guardian for the whole submission."""
    if not choices:
        raise DomainError(_("Make a choice for each child."))
    for child, purpose, _given in choices:
        _check_decision(child=child, purpose=purpose, decided_by=decided_by)
    statement = current_statement()
    if statement is None:
        raise DomainError(_("There is no published privacy statement yet."))
    with transaction.atomic():
        decisions = ConsentDecision.objects.bulk_create(
            [
                ConsentDecision(
                    child=child,
                    purpose=purpose,
                    given=given,
                    decided_by=decided_by,
                    recorded_by=decided_by,
                    statement=statement,
                    channel=Channel.PORTAL,
                    decided_at=timezone.now(),
                )
                for child, purpose, given in choices
            ]
        )
        projection.children_changed({child.pk for child, _purpose, _given in choices})
        _notify_other_guardians(decisions)
    return decisions
