from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from newsletters.selectors import can_publish, parent_location_ids, parent_publications

HOME_ITEMS = 3


def parent_home(request, *, children, **context):
    location_ids = sorted({child.group.location_id for child in children})
    if not location_ids:
        return None
    items = list(parent_publications(request.user, location_ids=location_ids)[:HOME_ITEMS])
    if not items:
        return None
    return render_to_string(
        "newsletters/panels/parent_home.html", {"items": items}, request=request
    )


def staff_home(request, *, groups, scope, **context):
    if not can_publish(request.user):
        return None
    try:  # the location pages live in daycare; linked once portal/urls.py mounts them
        locations_url = reverse("locations_staff:list")
    except NoReverseMatch:
        locations_url = None
    return render_to_string(
        "newsletters/panels/staff_home.html", {"locations_url": locations_url}, request=request
    )


__all__ = ["parent_home", "parent_location_ids", "staff_home"]
