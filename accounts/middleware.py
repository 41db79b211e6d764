"""Session activity for the account's session list, written at most once a minute (R23).

allauth's own ``UserSessionsMiddleware`` (with ``USERSESSIONS_TRACK_ACTIVITY``) records the
IP address, the browser and "last seen" on every request of a logged-in person: a transaction
with a SELECT of the session row, a SELECT of the user and an UPDATE of every column, i.e. five
statements and a commit (a WAL flush) on every page (bench/, docs/performance.md). This one
does the same at most once per ``TRACK_EVERY`` seconds per session, like the idle-timeout
touch in ``portal.security``. "Last seen" is then at most a minute old, and a change of IP
address or browser shows in the list within a minute.
"""

import time

from allauth.usersessions import app_settings
from allauth.usersessions.models import UserSession

TRACKED_AT = "_portal_usersession_at"
TRACK_EVERY = 60  # seconds


class UserSessionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            app_settings.TRACK_ACTIVITY
            and hasattr(request, "session")
            and request.session.session_key
            and hasattr(request, "user")
            and request.user.is_authenticated
        ):
            now = time.time()
            tracked_at = request.session.get(TRACKED_AT)
            if tracked_at is None or not 0 <= now - tracked_at < TRACK_EVERY:
                UserSession.objects.create_from_request(request)
                request.session[TRACKED_AT] = now
        return self.get_response(request)
