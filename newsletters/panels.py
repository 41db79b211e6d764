from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from newsletters.selectors import can_publish


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


__all__ = ["staff_home"]
