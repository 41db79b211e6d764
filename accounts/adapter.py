from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from accounts.language import language_for_email


class PortalAccountAdapter(DefaultAccountAdapter):
    """Public sign-up is closed: guardians join through an invitation for their child."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (password reset, e-mail confirmation, security notices) in the
        language of the account they go to, whatever the page that caused them (R25)."""
        with translation.override(language_for_email(email)):
            super().send_mail(template_prefix, email, context)
