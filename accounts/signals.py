from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import security
from accounts.allauth_internals import record_authentication
from accounts.language import remember_in_session


@receiver(authenticator_added)
def count_activation_as_two_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means the person just entered a valid code: record it for this session,
    so a staff member who sets up two-factor is not asked for a second code at once."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", type="totp", id=authenticator.pk)


@receiver(user_logged_in)
def use_the_accounts_language(sender, request, user, **kwargs):
    """R25: from this login on, pages are in the language stored on the account."""
    if request is not None:
        remember_in_session(request, user.language)


# Authentication events (issue 19, finding 5): ids only, see accounts/security.py.


@receiver(account_signals.user_logged_in)
def log_login(sender, request, user, **kwargs):
    security.auth_event(request, "login", user_id=user.pk)
    if request is not None and not security.device_seen(user, request):
        security.auth_event(request, "login_new_device", user_id=user.pk)


@receiver(mfa_signals.authentication_failed)
def log_two_factor_failure(sender, request, user, **kwargs):
    security.auth_event(request, "mfa_failed", user_id=user.pk)


@receiver(account_signals.password_changed)
def log_password_change(sender, request, user, **kwargs):
    security.auth_event(request, "password_changed", user_id=user.pk)


@receiver(account_signals.password_set)
def log_password_set(sender, request, user, **kwargs):
    security.auth_event(request, "password_set", user_id=user.pk)


@receiver(account_signals.password_reset)
def log_password_reset(sender, request, user, **kwargs):
    """The e-mailed link proves the owner: their client's wait for the account ends."""
    security.auth_event(request, "password_reset", user_id=user.pk)
    if request is not None:
        security.clear(request, user.email)
