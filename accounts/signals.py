from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

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
