from django.conf import settings
from django.utils import translation

from accounts.language import SESSION_KEY


class DutchFirstLocaleMiddleware:
    """Dutch unless the person chose English (R25).

    Django's LocaleMiddleware would follow the browser's Accept-Language header; this portal is
    Dutch by default whatever the browser says. A logged-in person gets the language of their
    account (put into the session at login and whenever they change it,
    ``accounts.language``); a stranger gets the one chosen with the switch in the header (the
    cookie set by ``set_language``), else Dutch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):

        session = getattr(request, "session", None)
        chosen = (session.get(SESSION_KEY) if session is not None else None) or (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        )
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
