"""Pages of the portal itself: "Meer", the fourth tab of a parent (issue 17)."""

from django.shortcuts import render

from absences.selectors import children_who_can_be_reported
from portal.navigation import parent_nav


def more(request):
    """Everything that is not Vandaag, Foto's or Berichten: per child its pages, then the
    parent's own settings, data and account, the language and logging out."""

    nav = parent_nav(request)
    assert nav is not None  # login is required: a visitor never comes here
    # R11: only children with a running (or future) contract offer "Report absent".
    reportable = children_who_can_be_reported(nav.children)
    return render(request, "portal/more.html", {"nav": nav, "reportable": reportable})
