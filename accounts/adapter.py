from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import security
from accounts.language import language_for_email


def _login_of(credentials) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class PortalAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: guardians join through an invitation for their child.

    Failed logins are throttled per client and account with growing delays
    (``accounts.security``), never by locking the account (issue 19, finding 8).
    """

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (password reset, e-mail confirmation, security notices) in the
        language of the account they go to, whatever the page that caused them (R25)."""
        with translation.override(language_for_email(email)):
            super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth's own per-"key" limit, made per client and account like ours: a stranger's
        # failures elsewhere never count against the owner.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{security.client_ip(request)}|{account}"

    def pre_authenticate(self, request, **credentials):
        login = _login_of(credentials)
        wait = security.wait_left(request, login)
        if wait:
            security.auth_event(
                request, "login_throttled", user_id=security.user_id_for(login), wait=wait
            )
            raise forms.ValidationError(
                _(
                    "Too many failed attempts from this device. Try again in %(seconds)d "
                    "seconds, or use “Forgot your password?” to get a link by e-mail."
                )
                % {"seconds": wait},
                code="throttled",
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            security.clear(request, _login_of(credentials))
        return user

    def authentication_failed(self, request, **credentials):
        login = _login_of(credentials)
        user_id = security.user_id_for(login)
        security.auth_event(request, "login_failed", user_id=user_id)
        wait = security.record_failure(request, login)
        if wait:
            security.auth_event(request, "login_throttled", user_id=user_id, wait=wait)
