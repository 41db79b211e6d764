from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from daycare.access import is_customer_service, is_staff_member
from daycare.models import Child
from retention.selectors import requests_near_deadline, window_of

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from accounts.typing import UserRequest


def banner(request: "UserRequest", *, children: list[Child]) -> str | None:
    """Guardians of a child in its 8-week window: the last day of access and the download (R16).

    ``children``: the parent's children as the navigation's query read them, with when their
    care ended (``portal.navigation``), so the banner costs no query of its own (issue 16)."""
    if request.path.startswith(("/staff/", "/retention/")):  # the page itself shows it
        return None
    window = window_of(children)
    if not window:
        return None
    return render_to_string("retention/_banner.html", {"window": window}, request=request)


def nav(request: "UserRequest", **context: Any) -> "SafeString | None":
    if is_staff_member(request.user):
        return None
    return format_html('<li><a href="{}">{}</a></li>', reverse("retention:index"), _("My data"))


def staff_home(request: "UserRequest", **context: Any) -> str | None:
    if not is_customer_service(request.user):
        return None
    from django.utils import timezone

    near = requests_near_deadline(timezone.localdate()).count()
    return render_to_string("retention/_staff_home.html", {"near": near}, request=request)
