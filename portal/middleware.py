from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the person chose English with the language switch (R25).

    Django's LocaleMiddleware would follow the browser's Accept-Language header; this portal is
    Dutch by default whatever the browser says, and English only on request (the cookie set by
    Django's ``set_language`` view).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
