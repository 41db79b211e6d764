"""Each person's own language (R25): on their account, in their session, in their e-mails."""

from django.conf import settings
from django.utils import translation

from accounts.models import User

SESSION_KEY = "portal_language"
SUPPORTED = {code for code, _name in settings.LANGUAGES}


def remember_in_session(request, language: str) -> None:
    """Pages follow the account's language from now on in this session."""
    if language in SUPPORTED and hasattr(request, "session"):
        request.session[SESSION_KEY] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language


def language_for_email(address: str) -> str:
    """The language of the account with this address; Dutch for anyone else (an invited
    guardian without an account, customer service's shared mailbox)."""

    found = (
        User.objects.filter(email__iexact=address.strip())
        .values_list("language", flat=True)
        .first()
    )
    return found if found in SUPPORTED else settings.LANGUAGE_CODE
