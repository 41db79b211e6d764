"""Writes of the daycare app: guardianships, invitations of guardians and their acceptance.

Guardianships are only added and removed here (``guardianship_add``, ``guardianship_remove``):
who is a guardian is an input of the consent rule, so each change updates the consent
projection in the same transaction (issue 16)."""

import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from daycare.models import Child, GuardianInvitation, Guardianship
from outbox.services import enqueue
from portal.errors import DomainError


def guardianship_add(*, user: User, child: Child) -> Guardianship:
    """Make ``user`` a guardian of ``child`` (idempotent). Their earlier decisions about the
    child, if any, count again from now on (R4)."""
    from consent import projection

    with transaction.atomic():
        guardianship, _created = Guardianship.objects.get_or_create(user=user, child=child)
        projection.children_changed([child.pk])
    return guardianship


def guardianship_remove(*, user: User, children=None) -> int:
    """End ``user``'s guardianship of ``children`` (all of their children when None); their
    decisions stop counting for those children at once (R4). Returns how many ended."""
    from consent import projection

    with transaction.atomic():
        ended = Guardianship.objects.filter(user=user)
        if children is not None:
            ended = ended.filter(child__in=[getattr(child, "pk", child) for child in children])
        child_ids = list(ended.values_list("child_id", flat=True))
        removed, _by_model = ended.delete()
        projection.children_changed(child_ids)
    return removed


def invitation_check(*, child: Child, email: str) -> None:
    """Refuse an invitation for someone who already is a guardian of the child."""
    if Guardianship.objects.filter(child=child, user__email__iexact=email.strip()).exists():
        raise DomainError(
            _("This person is already a guardian of %(child)s.") % {"child": child.first_name}
        )


def invitation_create(*, child: Child, email: str, invited_by: User) -> GuardianInvitation:
    """Invite a guardian for a child: an e-mail with a link to set a password (R15)."""
    email = email.strip().lower()
    invitation_check(child=child, email=email)
    with transaction.atomic():
        invitation = GuardianInvitation.objects.create(
            token=secrets.token_urlsafe(32), email=email, child=child, invited_by=invited_by
        )
        from daycare.tasks import send_invitation_task

        enqueue(send_invitation_task, invitation.pk)
    return invitation


def _accept(invitation: GuardianInvitation, user: User) -> None:
    guardianship_add(user=user, child=invitation.child)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


def invitation_accept_new_account(
    *, invitation: GuardianInvitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the guardian's account from an invitation and link it to the child.

    The link arrived in the invited mailbox, so the address counts as verified.
    """
    with transaction.atomic():
        invitation = GuardianInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise DomainError(_("This invitation has expired or has already been used."))
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
        invitation = GuardianInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise DomainError(_("This invitation has expired or has already been used."))
        if user.email.lower() != invitation.email.lower():
            raise DomainError(
                _(
                    "This invitation was sent to another e-mail address than the one you are "
                    "logged in with."
                )
            )
        _accept(invitation, user)
