from django.conf import settings
from django.utils.functional import SimpleLazyObject

from consent import panels as consent_panels
from daycare.access import is_staff_member
from messaging import panels as messaging_panels
from portal.navigation import active_tab, parent_nav, tabs_for
from retention import panels as retention_panels


def portal(request):
    """Links every page shows in its footer (R8), the staff flag, and the nav items and banners
    of the features that add some, evaluated only when a template uses them."""

    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    return {
        "PROCESSOR_PRIVACY_URL": settings.PROCESSOR_PRIVACY_URL,
        "PRIVACY_REGULATION_URL": settings.PRIVACY_REGULATION_URL,
        "CUSTOMER_SERVICE_URL": settings.CUSTOMER_SERVICE_URL,
        "CUSTOMER_SERVICE_EMAIL": settings.CUSTOMER_SERVICE_EMAIL,
        "CUSTOMER_SERVICE_PHONE": settings.CUSTOMER_SERVICE_PHONE,
        "is_staff_member": logged_in and user is not None and is_staff_member(user),
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING,
        "nav_panels": SimpleLazyObject(lambda: _nav_items(request) if logged_in else []),
        # The parent's tab bar (None for staff): one query, only when a template shows it.
        "parent_nav": SimpleLazyObject(lambda: tabs_for(request) if logged_in else None),
        "active_tab": SimpleLazyObject(lambda: active_tab(request)),
        "banner_panels": SimpleLazyObject(lambda: _banners(request) if logged_in else []),
    }


def _nav_items(request) -> list[str]:
    """Items (``<li>``) the features add to the main navigation."""
    parts = [messaging_panels.nav(request), retention_panels.nav(request)]
    return [part for part in parts if part]


def _banners(request) -> list[str]:
    """Banners under the header on every page of a logged-in person."""
    nav = parent_nav(request)
    parts = [
        consent_panels.banner(request),
        retention_panels.banner(request, children=nav.children if nav is not None else []),
    ]
    return [part for part in parts if part]
