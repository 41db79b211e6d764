from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from absences import panels as absences_panels
from accounts.models import User
from audit import panels as audit_panels
from consent import panels as consent_panels
from daycare import services
from daycare.access import get_guarded_child_for, household_member_ids
from daycare.forms import AcceptInvitationForm
from daycare.models import GuardianInvitation, Guardianship
from diary import panels as diary_panels
from messaging import panels as messaging_panels
from photos import panels as photos_panels
from portal.errors import DomainError


def child_detail(request, code):
    """A child's page for a guardian: facts, features, and who else is a guardian (R27): names
    and relation only; contact details only of people marked as one household."""
    child = get_guarded_child_for(request.user, code)
    household = household_member_ids(request.user)
    others = [
        (guardianship, guardianship.user_id in household)
        for guardianship in Guardianship.objects.filter(child=child)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("created_at")
    ]
    return render(
        request,
        "daycare/child_detail.html",
        {
            "child": child,
            "other_guardians": others,
            "CUSTOMER_SERVICE_URL": settings.CUSTOMER_SERVICE_URL,
            "child_panels": _child_card_panels(request, child),
        },
    )


def _child_card_panels(request, child) -> list[str]:
    """What each feature shows under the child on the child's page: rendered HTML, or None to
    show nothing (templates autoescape anything that is not a safe string)."""
    children = [child]
    parts = [
        consent_panels.child_card(request, child=child, children=children),
        diary_panels.child_card(request, child=child, children=children),
        photos_panels.child_card(request, child=child),
        absences_panels.child_card(request, child=child, children=children),
        messaging_panels.child_card(request, child=child, children=children),
        audit_panels.child_card(request, child=child),
    ]
    return [part for part in parts if part]


@login_not_required
def invitation(request, token):
    invitation = get_object_or_404(
        GuardianInvitation.objects.select_related("child__group__location"), token=token
    )
    if not invitation.is_open:
        return render(request, "daycare/invitation_closed.html", status=410)
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if account_exists:
        if request.method == "POST" and request.user.is_authenticated:
            try:
                services.invitation_accept_existing_account(
                    invitation=invitation, user=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The invitation has been accepted."))
                return redirect("home")
    else:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.invitation_accept_new_account(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                login(request, user, backend="accounts.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("home")
    return render(
        request,
        "daycare/invitation.html",
        {"invitation": invitation, "form": form, "account_exists": account_exists},
    )
