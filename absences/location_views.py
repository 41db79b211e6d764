"""Location information pages (R14): for parents of children at the location and its staff.

Open to parents without any consent (R3). Other locations answer 404, like missing ones.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from absences.selectors import cutoff_for
from daycare.access import guarded_children, staff_scope
from daycare.models import Group, Location


def visible_locations(user):
    """Locations of the user's (non-archived) children, plus the ones they work for."""
    scope = staff_scope(user)
    if scope.everything:
        return Location.objects.all()
    ids = set(guarded_children(user).values_list("group__location_id", flat=True))
    ids |= set(scope.location_ids)
    if scope.group_ids:
        ids |= set(
            Group.objects.filter(pk__in=scope.group_ids).values_list("location_id", flat=True)
        )
    return Location.objects.filter(pk__in=ids)


def get_location_for(user, code: str) -> Location:
    try:
        return visible_locations(user).get(code=code)
    except Location.DoesNotExist:
        raise Http404 from None


def map_url(location) -> str:
    """A plain link to OpenStreetMap: no embedded third-party map, nothing loads until clicked."""
    query = f"{location.street}, {location.postal_code} {location.city}"
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


def location_list(request):
    locations = list(visible_locations(request.user))
    if len(locations) == 1:
        return redirect("locations:detail", code=locations[0].code)
    return render(request, "absences/location_list.html", {"locations": locations})


def location_detail(request, code):

    location = get_location_for(request.user, code)
    today = timezone.localdate()
    return render(
        request,
        "absences/location_detail.html",
        {
            "location": location,
            "map_url": map_url(location),
            "groups": location.groups.all(),
            "closures": location.closures.filter(end_date__gte=today).order_by("start_date")[:20],
            "cutoff": cutoff_for(location),
            "can_edit": _can_edit(request.user, location),
        },
    )


def _can_edit(user, location) -> bool:
    scope = staff_scope(user)
    return scope.everything or location.pk in scope.location_ids
