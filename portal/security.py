"""Session timeouts and the headers Django does not set itself (R22, R23).

Issue 19: only GET, HEAD and POST reach a view (ASVS 13.4.4); every response to a logged-in
person says ``Cache-Control: private, no-store`` and a logout clears what the browser kept
(ASVS 14.3.2); requests a page makes by itself do not count as activity (ASVS 7.3.1).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)
LOGIN_AT = "_portal_login_at"
SEEN_AT = "_portal_seen_at"
TOUCH_EVERY = 60  # seconds: do not write the session on every request


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class SessionTimeoutMiddleware:
    """Log out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_COOKIE_AGE`` seconds after login (a tablet left logged in in a group room)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT)
            seen_at = session.get(SEEN_AT, now)
            if login_at is None:
                session[LOGIN_AT] = login_at = now
            if (
                now - seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - login_at > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                request.portal_idle_logout = True
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect(settings.LOGIN_URL)
            if now - seen_at >= TOUCH_EVERY or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)


ALLOWED_METHODS = ("GET", "HEAD", "POST")
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
CLEAR_SITE_DATA_IDLE = '"cache", "storage"'
PRIVATE = "private, no-store"


class AllowedMethodsMiddleware:
    """405 for every method but GET, HEAD and POST, before any view runs: without it Django's
    function views answer OPTIONS or TRACE with the full page (an export ZIP included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


@receiver(user_logged_out, dispatch_uid="portal.security.clear_site_data")
def _mark_logout(sender, request, **kwargs):
    if request is not None:
        request.portal_logged_out = True


class PrivateCacheMiddleware:
    """One rule instead of one per view: nothing a logged-in person receives is stored by the
    browser or a proxy (``private, no-store``), whatever the view set; and the response that
    logs someone out tells the browser to drop its cache, cookies and storage (the service
    worker's too), so the next person at a shared tablet finds nothing.

    After ``AuthenticationMiddleware``: the person counts as logged in when they were at the
    start of the request or are at its end (a login's own response).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        if was_authenticated or request.user.is_authenticated:
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        if getattr(request, "portal_logged_out", False):
            # An idle logout keeps the cookies: its "you were logged out" notice lives in one.
            idle = getattr(request, "portal_idle_logout", False)
            response["Clear-Site-Data"] = CLEAR_SITE_DATA_IDLE if idle else CLEAR_SITE_DATA
        return response
