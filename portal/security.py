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
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import PASSIVE
from daycare.access import is_staff_member

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


IDLE_KIND = "_portal_idle_kind"
POLL_HEADER = "X-Poll"
IDLE_LEFT_HEADER = "X-Session-Idle-Left"


def idle_timeout(request) -> int:
    """Seconds without activity before this session ends: shorter for staff, whose tablets
    stay in a group room (``STAFF_SESSION_IDLE_TIMEOUT``), than for parents. Whether the person
    is staff is looked up once per session."""
    session = request.session
    kind = session.get(IDLE_KIND)
    if kind is None:
        kind = session[IDLE_KIND] = "staff" if is_staff_member(request.user) else "person"
    if kind == "staff":
        return settings.STAFF_SESSION_IDLE_TIMEOUT
    return settings.SESSION_IDLE_TIMEOUT


def is_activity(request) -> bool:
    """A request the person made: not a poll (the ``X-Poll`` header, or a view marked
    ``@passive``)."""
    if request.headers.get(POLL_HEADER):
        return False
    match = getattr(request, "resolver_match", None)
    return not (match and getattr(match.func, PASSIVE, False))


class SessionTimeoutMiddleware:
    """Log out after the idle timeout (``idle_timeout``) without activity, and in any case
    ``SESSION_COOKIE_AGE`` seconds after login (a tablet left logged in in a group room).

    Activity is recorded after the view ran, once the URL is resolved: a polling request is
    checked against the timeout like any other but does not move "last seen". Every response
    says how many seconds are left (``X-Session-Idle-Left``) so the page's warning
    (``static/js/idle.js``) stays in step.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        session = request.session
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT, now)
        if login_at is None:
            session[LOGIN_AT] = login_at = now
        if SEEN_AT not in session:
            session[SEEN_AT] = now  # even when the first request is a poll
        limit = idle_timeout(request)
        if now - seen_at > limit or now - login_at > settings.SESSION_COOKIE_AGE:
            logout(request)
            request.portal_idle_logout = True
            messages.info(request, _("You were logged out after a period of inactivity."))
            if request.headers.get("HX-Request"):
                # htmx would follow a redirect and put the login page inside the panel.
                response = HttpResponse(status=200)
                response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                return response
            return redirect(settings.LOGIN_URL)
        request.portal_idle_timeout = limit
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.get(LOGIN_AT) is not None:
            if is_activity(request):
                if now - seen_at >= TOUCH_EVERY:
                    request.session[SEEN_AT] = now
                seen_at = now
            left = max(0, round(limit - (now - seen_at)))
            response[IDLE_LEFT_HEADER] = str(left)
        return response


@require_POST
def keepalive(request):
    """The idle warning's "Stay logged in": a request the person makes, so it is activity."""
    return HttpResponse(status=204)


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


def csrf_failure(request, reason=""):
    """A failed CSRF check in the portal's look and the person's language (issue 19, finding
    11), instead of Django's unbranded English page. The reason is never shown."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
