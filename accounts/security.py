"""Authentication events and the login throttle (issue 19, findings 5 and 8).

Events (ASVS 16.3.1) go to the ``portal.auth`` logger as one JSON line each, and onto the
request's own log line (``portal.logging``): a failed login (with the account's id when the
account exists, never the typed address), a throttled login, a failed two-factor code, a
password change, set or reset, a login and a login from a device not seen before. Client
addresses only with ``LOG_CLIENT_IP`` set.

The throttle (ASVS 6.3.1) counts failed logins per client *and* account, and makes that pair
wait longer after each failure (``delay_after``); it never locks the account itself, so a
stranger cannot keep its owner out, and the owner can always get in through the e-mailed
password-reset link, which clears the wait for the client it is used from.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from accounts.models import User

logger = logging.getLogger("portal.auth")

FREE_FAILURES = 3  # per client and account before any wait
FIRST_DELAY = 15  # seconds after the fourth failure; doubles with each failure after it
MAX_DELAY = 15 * 60
REMEMBER = 24 * 60 * 60  # a client's failures for an account are forgotten after a day
KNOWN_DEVICES = 10


def client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or ""
    except Exception:  # allauth refuses a malformed X-Forwarded-For: count it as one client
        return ""


def auth_event(request, event: str, *, user_id=None, **fields) -> None:
    """Log ``event`` with the id of the account it concerns (``user_id``), never an address."""
    extra = {"event": event, "subject_id": str(user_id) if user_id else "-", **fields}
    if request is not None and settings.LOG_CLIENT_IP:
        extra["client_ip"] = client_ip(request)
    logger.info("auth", extra=extra)
    if request is not None:
        events = getattr(request, "portal_auth_events", None)
        if events is None:
            events = request.portal_auth_events = []
        events.append(event)


def user_id_for(login: str):

    if not login:
        return None
    return User.objects.filter(email__iexact=login.strip()).values_list("pk", flat=True).first()


def _key(request, login: str) -> str:
    pair = f"{client_ip(request)}|{login.strip().lower()}"
    return "login-throttle:" + hashlib.sha256(pair.encode()).hexdigest()


def delay_after(failures: int) -> int:
    """Seconds a client must wait after its ``failures``-th failure for one account."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES))


def wait_left(request, login: str) -> int:
    """Seconds this client must still wait before trying this account again (0: go ahead)."""
    state = cache.get(_key(request, login))
    if not state:
        return 0
    return max(0, int(state["until"] - time.time() + 0.999))


def record_failure(request, login: str) -> int:
    """Count a failed login of this client for this account; returns the wait it causes."""
    key = _key(request, login)
    state = cache.get(key) or {"failures": 0, "until": 0}
    state["failures"] += 1
    delay = delay_after(state["failures"])
    state["until"] = time.time() + delay
    cache.set(key, state, timeout=REMEMBER)
    return delay


def clear(request, login: str) -> None:
    cache.delete(_key(request, login))


def device_seen(user, request) -> bool:
    """Whether this browser (its user agent, as a keyed hash) logged in to ``user`` before;
    remembers it for next time. The last ``KNOWN_DEVICES`` are kept."""
    agent = request.headers.get("User-Agent", "")[:500]
    digest = salted_hmac(
        "portal.known-device", f"{user.pk}|{agent}", algorithm="sha256"
    ).hexdigest()[:32]
    known = list(user.known_devices or [])
    if digest in known:
        return True
    user.known_devices = [*known, digest][-KNOWN_DEVICES:]
    type(user).objects.filter(pk=user.pk).update(known_devices=user.known_devices)
    return False
