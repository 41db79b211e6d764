from celery import shared_task
from django.urls import reverse

from accounts.mail import send_portal_mail
from accounts.models import User
from daycare.models import Child, GuardianInvitation, Relation


@shared_task
def send_invitation_task(invitation_id: int) -> None:
    invitation = (
        GuardianInvitation.objects.select_related("child__group__location")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    send_portal_mail(
        to=[invitation.email],
        template="daycare/email/invitation",
        context={
            "location": invitation.child.group.location.name,
            "link": reverse("daycare:invitation", args=[invitation.token]),
            "expires_at": invitation.expires_at,
        },
    )


@shared_task
def send_guardianship_change_task(
    child_id: int,
    change: str,
    subject: str,
    relation: str,
    actor_id: int | None,
    to_ids: list[int],
    subject_user_id: int | None = None,
) -> None:
    """Tell a child's guardians that a guardian was added or removed (R27): who, by whom, and
    where to turn with questions. Never contact details of anyone."""
    from django.conf import settings

    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    for user in User.objects.filter(pk__in=to_ids, is_active=True):
        send_portal_mail(
            to=[user.email],
            template=f"daycare/email/guardian_{'removed' if change == 'removed' else 'added'}",
            context={
                "child": child.first_name,
                "subject": subject,
                "relation": Relation(relation).label,
                "actor": actor.get_full_name() if actor else "",
                "is_you": user.pk == subject_user_id,
                "customer_service_url": settings.CUSTOMER_SERVICE_URL,
                "customer_service_email": settings.CUSTOMER_SERVICE_EMAIL,
            },
        )
