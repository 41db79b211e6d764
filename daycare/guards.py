"""The one guard in front of every staff page and Django admin (R23).

Staff pages live under /staff/ and Django admin under /beheer/. Both need a staff role (or
superuser, for admin) and a session that passed two-factor login. A person without a staff role
gets 404 on staff pages: the pages do not exist for them.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.paths import ADMIN_PREFIX, STAFF_PREFIX
from daycare.access import is_staff_member


def passed_two_factor(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def two_factor_redirect(request):
    """Send a staff member to set up two-factor, or to pass it in this session."""
    next_qs = urlencode({"next": request.get_full_path()})
    if not has_totp(request.user):
        messages.info(
            request, _("Staff pages require two-factor login. Set up an authenticator app first.")
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{next_qs}")
    messages.info(request, _("Confirm with a code from your authenticator app to continue."))
    return redirect(f"{reverse('mfa_reauthenticate')}?{next_qs}")


class StaffGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(STAFF_PREFIX):
            if not request.user.is_authenticated:
                return redirect(f"{reverse('account_login')}?{urlencode({'next': path})}")
            if not is_staff_member(request.user):
                raise Http404
            if not passed_two_factor(request):
                return two_factor_redirect(request)
        elif (
            path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and request.user.is_staff
            and not passed_two_factor(request)
        ):
            return two_factor_redirect(request)
        return self.get_response(request)
