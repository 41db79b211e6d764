"""What a push says: the kind of news and, for a parent, their own child's first name. Nothing
else (no text, subject, photo or other child), in the person's language."""

from django.utils import translation
from django.utils.translation import gettext as _

from push.models import Kind

MAX_LINES = 4
PATHS: dict[str, str] = {  # where a tap leads: pages that show only what the person may see
    Kind.DIARY: "/",
    Kind.PHOTOS: "/",
    Kind.MESSAGES: "/messaging/",
    Kind.NEWS: "/newsletters/",
    Kind.REQUESTS: "/retention/",
}


def language_of(user) -> str:
    """The person's own language (R25, accounts' ``language`` field) when the portal has it;
    Dutch otherwise."""
    language = getattr(user, "language", "") or "nl"
    return language if language in {"nl", "en"} else "nl"


def line(kind: str, first_name: str = "", *, staff_reminder: bool = False) -> str:
    if kind == Kind.DIARY:
        return _("New in the diary of %(name)s") % {"name": first_name}
    if kind == Kind.PHOTOS:
        return _("New photos of %(name)s") % {"name": first_name}
    if kind == Kind.MESSAGES:
        return _("New message about %(name)s") % {"name": first_name}
    if kind == Kind.NEWS:
        return _("New news from the daycare")
    if staff_reminder:
        return _("Data requests are close to their deadline")
    return _("There is news about your data request")


def payload(user, items: list[tuple[str, str, bool]]) -> dict:
    """The push for ``items`` (kind, first name, staff reminder), several in one when held.
    Returns title, body, url and tag; the service worker shows exactly these."""
    with translation.override(language_of(user)):
        lines = list(dict.fromkeys(line(k, n, staff_reminder=s) for k, n, s in items))
        body = "\n".join(lines[:MAX_LINES])
        if len(lines) > MAX_LINES:
            body += "\n" + _("and more")
        kinds = {k for k, _n, _s in items}
        url = PATHS[items[0][0]] if len(kinds) == 1 else "/"
        return {"title": "Ouderportaal", "body": body, "url": url, "tag": "ouderportaal"}
