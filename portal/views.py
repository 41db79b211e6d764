"""Pages of the portal itself: a child's page, which shows every feature of the portal for that
child (each app's part, ``<app>/panels.py``, called by name), and "Meer", the fourth tab of a
parent (issue 17)."""

from django.conf import settings
from django.shortcuts import render

from absences import panels as absences_panels
from absences.selectors import children_who_can_be_reported
from audit import panels as audit_panels
from consent import panels as consent_panels
from daycare.access import get_guarded_child_for, household_member_ids
from daycare.models import Guardianship
from diary import panels as diary_panels
from messaging import panels as messaging_panels
from photos import panels as photos_panels
from portal.navigation import parent_nav


def more(request):
    """Everything that is not Vandaag, Foto's or Berichten: per child its pages, then the
    parent's own settings, data and account, the language and logging out."""

    nav = parent_nav(request)
    assert nav is not None  # login is required: a visitor never comes here
    # R11: only children with a running (or future) contract offer "Report absent".
    reportable = children_who_can_be_reported(nav.children)
    return render(request, "portal/more.html", {"nav": nav, "reportable": reportable})


def child_detail(request, code):
    """A child's page for a guardian: facts, features, and who else is a guardian (R27): names
    and relation only; contact details only of people marked as one household."""
    child = get_guarded_child_for(request.user, code)
    household = household_member_ids(request.user)
    others = [
        (guardianship, guardianship.user_id in household)
        for guardianship in Guardianship.objects.filter(child=child)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("created_at")
    ]
    return render(
        request,
        "portal/child_detail.html",
        {
            "child": child,
            "other_guardians": others,
            "CUSTOMER_SERVICE_URL": settings.CUSTOMER_SERVICE_URL,
            "child_panels": _child_card_panels(request, child),
        },
    )


def _child_card_panels(request, child) -> list[str]:
    """What each feature shows under the child on the child's page: rendered HTML, or None to
    show nothing (templates autoescape anything that is not a safe string)."""
    children = [child]
    parts = [
        consent_panels.child_card(request, child=child, children=children),
        diary_panels.child_card(request, child=child, children=children),
        photos_panels.child_card(request, child=child),
        absences_panels.child_card(request, child=child, children=children),
        messaging_panels.child_card(request, child=child, children=children),
        audit_panels.child_card(request, child=child),
    ]
    return [part for part in parts if part]
