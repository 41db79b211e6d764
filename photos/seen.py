"""Which photos are new to a parent: the moment this browser session last opened the gallery
(the "new photos" badge of the tab bar, ``portal.navigation``); before that, photos uploaded
today count as new."""

from datetime import datetime, time

from django.utils import timezone

SESSION_PHOTOS_SEEN = "portal_photos_seen"


def photos_seen_since(request) -> datetime:
    raw = request.session.get(SESSION_PHOTOS_SEEN)
    if raw:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    return datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())


def mark_photos_seen(request) -> None:
    request.session[SESSION_PHOTOS_SEEN] = timezone.now().isoformat()
