"""Writes of the daycare app: who is a child's guardian (R27).

Guardianship is a fact the organisation records. The only ways in and out:

- ``guardianship_request_create``: a group worker or location manager asks for a new guardian of
  a child in their scope; customer service asking is approved at once (they hold the contracts);
- ``guardianship_request_approve`` / ``_refuse`` / ``_withdraw``: customer service decides (four
  eyes); only approval sends an invitation;
- ``invitation_accept_*``: the invited person accepts with the address the link was sent to;
  this calls ``guardianship_add``;
- ``guardianship_add`` / ``guardianship_remove``: the single path that creates or ends a
  guardianship. Both tell every guardian of the child, write the history of the child and the
  access log (R24). Other apps hook into these two functions, never into the model.
"""

import secrets
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AccessKind
from audit.services import access_event_record_now
from consent import projection
from core.errors import DomainError
from daycare.access import is_customer_service, staff_scope, visible_children
from daycare.models import (
    Child,
    GuardianInvitation,
    Guardianship,
    GuardianshipEvent,
    GuardianshipRequest,
    Relation,
)
from daycare.tasks import send_guardianship_change_task, send_invitation_task
from outbox.services import enqueue

if TYPE_CHECKING:
    from collections.abc import Iterable

Status = GuardianshipRequest.Status


def guardian_label(user: User) -> str:
    """How a guardian is named to other people: the name, never the e-mail address (R27)."""
    return user.get_full_name() or _("a guardian without a name in the portal")


def _record(
    child: Child, kind: str, *, subject: str, relation: str, actor: User | None, reason: str = ""
) -> None:
    GuardianshipEvent.objects.create(
        child=child,
        kind=kind,
        subject=subject,
        relation=relation,
        actor=actor,
        reason=reason,
    )


def _notify_guardians(
    child: Child,
    *,
    change: str,
    subject: str,
    relation: str,
    actor: User | None,
    to_ids: "Iterable[int]",
    subject_user: User | None = None,
) -> None:
    """E-mail these guardians about an added or removed guardian, after the commit."""

    if to_ids:
        enqueue(
            send_guardianship_change_task,
            child.pk,
            change,
            subject,
            relation,
            actor.pk if actor else None,
            sorted(to_ids),
            subject_user.pk if subject_user else None,
        )


def invitation_check(*, child: Child, email: str) -> None:
    """Refuse someone who already is a guardian, or for whom a request or invitation is open."""
    email = email.strip()
    if Guardianship.objects.filter(child=child, user__email__iexact=email).exists():
        raise DomainError(
            _("This person is already a guardian of %(child)s.") % {"child": child.first_name}
        )
    if GuardianshipRequest.objects.filter(
        child=child, email__iexact=email, status=Status.PENDING
    ).exists():
        raise DomainError(
            _(
                "A request for this address is already waiting for customer service. "
                "Customer service will approve or refuse it; you do not need to ask again."
            )
        )
    open_invitations = GuardianInvitation.objects.filter(
        child=child,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise DomainError(
            _(
                "This address already has an open invitation for %(child)s. It can be "
                "withdrawn on the child's page by customer service."
            )
            % {"child": child.first_name}
        )


def guardianship_request_create(
    *, child: Child, email: str, relation: str, requested_by: User, note: str = ""
) -> GuardianshipRequest:
    """Ask for a new guardian of a child (R27). Staff outside the child's scope get the same
    answer as for a child that does not exist (the view has already answered 404; this is the
    second wall). A request by customer service is approved in the same step."""
    if not visible_children(requested_by).filter(pk=child.pk).exists() or not (
        staff_scope(requested_by).is_staff
    ):
        raise Http404
    if relation not in Relation.values:
        raise DomainError(_("Choose the relation to the child."))
    email = email.strip().lower()
    invitation_check(child=child, email=email)
    try:
        with transaction.atomic():
            request = GuardianshipRequest.objects.create(
                child=child,
                email=email,
                relation=relation,
                note=note.strip(),
                requested_by=requested_by,
            )
            _record(
                child,
                GuardianshipEvent.Kind.REQUESTED,
                subject=email,
                relation=relation,
                actor=requested_by,
                reason=request.note,
            )
            access_event_record_now(
                user=requested_by, kind=AccessKind.GUARDIAN_REQUESTED, child=child
            )
    except IntegrityError:  # two requests at once: the constraint keeps one pending
        raise DomainError(
            _("A request for this address is already waiting for customer service.")
        ) from None
    if is_customer_service(requested_by):
        request = guardianship_request_approve(request=request, decided_by=requested_by)
    return request


def _decidable(request: GuardianshipRequest, user: User) -> GuardianshipRequest:
    if not is_customer_service(user):
        raise Http404
    locked = (
        GuardianshipRequest.objects.select_for_update().select_related("child").get(pk=request.pk)
    )
    if locked.status != Status.PENDING:
        raise DomainError(
            _("This request has already been decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def _close(
    request: GuardianshipRequest,
    status: str,
    kind: str,
    *,
    by: User,
    reason: str,
) -> None:
    """Decide ``request`` (approved, refused, withdrawn) by ``by``, and record it in the
    child's guardianship history. Inside the caller's transaction."""
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.reason = reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _record(
        request.child,
        kind,
        subject=request.email,
        relation=request.relation,
        actor=by,
        reason=request.reason,
    )


def guardianship_request_approve(
    *, request: GuardianshipRequest, decided_by: User, reason: str = ""
) -> GuardianshipRequest:
    """Customer service approves: the invitation goes out to the requested address. Access
    begins only when that person accepts it (``guardianship_add``)."""
    with transaction.atomic():
        request = _decidable(request, decided_by)
        if Guardianship.objects.filter(
            child=request.child, user__email__iexact=request.email
        ).exists():
            raise DomainError(
                _("This person is already a guardian of %(child)s.")
                % {"child": request.child.first_name}
            )
        _close(
            request, Status.APPROVED, GuardianshipEvent.Kind.APPROVED, by=decided_by, reason=reason
        )
        invitation = GuardianInvitation.objects.create(
            token=secrets.token_urlsafe(32),
            email=request.email,
            child=request.child,
            invited_by=decided_by,
            request=request,
        )
        access_event_record_now(
            user=decided_by, kind=AccessKind.GUARDIAN_APPROVED, child=request.child
        )

        enqueue(send_invitation_task, invitation.pk)
    return request


def guardianship_request_refuse(
    *, request: GuardianshipRequest, decided_by: User, reason: str
) -> GuardianshipRequest:
    """Customer service refuses, with a reason the requester reads. Nothing else changes."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for refusing; the requester will read it."))
    with transaction.atomic():
        request = _decidable(request, decided_by)
        _close(
            request, Status.REFUSED, GuardianshipEvent.Kind.REFUSED, by=decided_by, reason=reason
        )
        access_event_record_now(
            user=decided_by, kind=AccessKind.GUARDIAN_REFUSED, child=request.child
        )
    return request


def guardianship_request_withdraw(
    *, request: GuardianshipRequest, by: User, reason: str = ""
) -> GuardianshipRequest:
    """The requester (while pending) or customer service (also once approved, as long as the
    invitation is not accepted) withdraws a request; its invitation link stops working."""
    with transaction.atomic():
        locked = (
            GuardianshipRequest.objects.select_for_update()
            .select_related("child")
            .get(pk=request.pk)
        )
        service = is_customer_service(by)
        if not service and locked.requested_by_id != by.pk:
            raise Http404
        invitation = GuardianInvitation.objects.filter(request=locked).first()
        if locked.status == Status.PENDING:
            pass
        elif locked.status == Status.APPROVED and service and invitation is not None:
            if invitation.accepted_at is not None:
                raise DomainError(
                    _("The invitation has already been accepted: remove the guardianship instead.")
                )
        else:
            raise DomainError(
                _("This request can no longer be withdrawn (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        _close(locked, Status.WITHDRAWN, GuardianshipEvent.Kind.WITHDRAWN, by=by, reason=reason)
        if invitation is not None:
            # The link stops working at the moment the request was decided.
            invitation.revoked_at = locked.decided_at
            invitation.save(update_fields=["revoked_at"])
    return locked


def guardianship_add(
    *, child: Child, user: User, relation: str, added_by: User | None, notify: bool = True
) -> Guardianship:
    """The one way a person becomes a child's guardian (R27). Tells the guardians the child
    already has (who, by whom; never contact details), records the history and the access log.
    ``added_by`` is the customer service member who approved (None for the demo seed)."""
    with transaction.atomic():
        existing = list(
            Guardianship.objects.filter(child=child)
            .exclude(user=user)
            .values_list("user_id", flat=True)
        )
        guardianship, created = Guardianship.objects.get_or_create(
            user=user, child=child, defaults={"relation": relation}
        )
        if not created:
            return guardianship
        # Their earlier decisions about the child count again (R4): the consent projection
        # follows in this transaction (issue 16).
        projection.children_changed([child.pk])
        subject = guardian_label(user)
        _record(
            child, GuardianshipEvent.Kind.ADDED, subject=subject, relation=relation, actor=added_by
        )
        if added_by is not None:
            access_event_record_now(user=added_by, kind=AccessKind.GUARDIAN_ADDED, child=child)
        if notify:
            _notify_guardians(
                child,
                change="added",
                subject=subject,
                relation=relation,
                actor=added_by,
                to_ids=existing,
            )
    return guardianship


def guardianship_remove(*, guardianship: Guardianship, removed_by: User, reason: str) -> None:
    """Customer service ends a guardianship (R27): the person loses access on their next
    request. Every guardian, the removed one included, is told."""
    if not is_customer_service(removed_by):
        raise Http404
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for removing this guardian."))
    with transaction.atomic():
        locked = (
            Guardianship.objects.select_for_update()
            .select_related("user", "child")
            .filter(pk=guardianship.pk)
            .first()
        )
        if locked is None:
            raise DomainError(_("This guardianship has already been removed."))
        child = locked.child
        everyone = list(Guardianship.objects.filter(child=child).values_list("user_id", flat=True))
        subject = guardian_label(locked.user)
        relation = locked.relation
        locked.delete()
        projection.children_changed([child.pk])  # their decisions stop counting (issue 16)
        _record(
            child,
            GuardianshipEvent.Kind.REMOVED,
            subject=subject,
            relation=relation,
            actor=removed_by,
            reason=reason,
        )
        access_event_record_now(user=removed_by, kind=AccessKind.GUARDIAN_REMOVED, child=child)
        _notify_guardians(
            child,
            change="removed",
            subject=subject,
            relation=relation,
            actor=removed_by,
            to_ids=everyone,
            subject_user=locked.user,
        )


def guardianships_erase(*, user: User) -> int:
    """End every guardianship of a person whose own data is erased on their request (R21,
    ``retention.services``): the account goes with it, so nobody is told here. The consent
    projection follows in the same transaction (issue 16). Returns how many ended."""
    with transaction.atomic():
        ended = Guardianship.objects.filter(user=user)
        child_ids = list(ended.values_list("child_id", flat=True))
        removed, _by_model = ended.delete()
        projection.children_changed(child_ids)
    return removed


def _accept(invitation: GuardianInvitation, user: User) -> None:
    request = invitation.request
    if request is not None and request.status != Status.APPROVED:
        raise DomainError(_("This invitation has expired or has already been used."))
    guardianship_add(
        child=invitation.child,
        user=user,
        relation=invitation.relation,
        added_by=request.decided_by if request is not None else invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


def _locked_open(invitation: GuardianInvitation) -> GuardianInvitation:
    invitation = (
        GuardianInvitation.objects.select_for_update(of=("self",))
        .select_related("child", "request__decided_by")
        .get(pk=invitation.pk)
    )
    if not invitation.is_open:
        raise DomainError(_("This invitation has expired or has already been used."))
    return invitation


def invitation_accept_new_account(
    *, invitation: GuardianInvitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the guardian's account from an invitation and link it to the child.

    The link arrived in the invited mailbox, so the address counts as verified.
    """
    with transaction.atomic():
        invitation = _locked_open(invitation)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(_("An account already exists for this address: log in first."))
        user = User.objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        _accept(invitation, user)
    return user


def invitation_accept_existing_account(*, invitation: GuardianInvitation, user: User) -> None:
    with transaction.atomic():
        invitation = _locked_open(invitation)
        if user.email.lower() != invitation.email.lower():
            raise DomainError(
                _(
                    "This invitation was sent to another e-mail address than the one you are "
                    "logged in with."
                )
            )
        _accept(invitation, user)
