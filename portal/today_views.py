"""Vandaag, the parent home: one screen per child answering "how was my child's day?" (issue 17).

The page is composed here and in its templates (``portal/today/``), not from panels: a reader
of the template sees what is on the screen. The child comes from the parent's own children
(``portal.navigation.parent_nav``, the query the navigation makes anyway), so another family's
child is a 404 like a missing one.
"""

from datetime import date as Date

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from daycare.access import is_staff_member
from portal.navigation import parent_nav, remember_child
from portal.today import child_of, earlier_days, today_for


def _private(response):
    # Diary and photos on the page: never kept by the browser, so a withdrawal is final (R2).
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def home(request):
    """Vandaag for the child chosen last on this device (or the first)."""
    nav = parent_nav(request)
    assert nav is not None  # login is required: a visitor never comes here
    if nav.current is None:
        if is_staff_member(request.user):
            return redirect("staff:home")
        return render(request, "portal/today/no_children.html")
    return _page(request, nav, nav.current)


def child(request, code):
    nav = parent_nav(request)
    return _page(request, nav, child_of(nav, code))


def _page(request, nav, child):
    remember_child(request, child)
    nav.current = child
    today = today_for(request.user, child)
    return _private(
        render(
            request,
            "portal/today/page.html",
            {"nav": nav, "child": child, "today": today, "several": len(nav.children) > 1},
        )
    )


def days(request, code):
    """Earlier days before ``?before=YYYY-MM-DD`` (default today): a fragment for htmx (the
    list grows as the parent scrolls), a whole page without script."""
    nav = parent_nav(request)
    child = child_of(nav, code)
    try:
        before = Date.fromisoformat(request.GET.get("before") or str(timezone.localdate()))
    except ValueError:
        response = render(
            request,
            "portal/today/days.html",
            {"child": child, "error": _("That is not a date; go back to today.")},
            status=400,
        )
        return _private(response)
    views, more = earlier_days(request.user, child, before=before)
    template = "portal/today/days.html"
    if request.headers.get("HX-Request") == "true":
        template += "#earlier"
    context = {"child": child, "earlier": views, "more_before": more}
    return _private(render(request, template, context))
