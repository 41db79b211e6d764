from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError
from daycare import services
from daycare.forms import AcceptInvitationForm
from daycare.models import GuardianInvitation


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
                login(request, user, backend="portal.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("home")
    return render(
        request,
        "daycare/invitation.html",
        {"invitation": invitation, "form": form, "account_exists": account_exists},
    )
