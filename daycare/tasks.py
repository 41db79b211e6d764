from celery import shared_task
from django.urls import reverse

from daycare.models import GuardianInvitation
from portal.mail import send_portal_mail


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
