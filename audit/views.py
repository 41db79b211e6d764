"""A parent's view of the access log (R24): who on the staff viewed this child's diary and
photos, and when. Guardians only; 404 for everyone else."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit.selectors import staff_events_for_child
from daycare.access import get_guarded_child_for

PAGE_SIZE = 100


def child_log(request, child_code):
    child = get_guarded_child_for(request.user, child_code)
    page = Paginator(staff_events_for_child(child), PAGE_SIZE).get_page(request.GET.get("page"))
    days: dict = {}
    for event in page.object_list:  # per local day (Europe/Amsterdam), newest first
        days.setdefault(timezone.localdate(event.at), []).append(event)
    return render(
        request, "audit/child_log.html", {"child": child, "page": page, "days": days.items()}
    )
