"""The portal's settings with allauth's own session tracking on every request.

Only for ``bench/pages.py --usersessions-ab``: it measures what ``accounts.middleware`` (the same
tracking at most once a minute per session) saves against allauth's ``UserSessionsMiddleware``
with ``USERSESSIONS_TRACK_ACTIVITY = True``, in the same run.
"""

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

MIDDLEWARE = [
    "allauth.usersessions.middleware.UserSessionsMiddleware"
    if name == "accounts.middleware.UserSessionsMiddleware"
    else name
    for name in MIDDLEWARE
]
