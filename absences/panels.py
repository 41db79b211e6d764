from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from absences.selectors import children_who_can_be_reported, staff_absences_on


def location_url(location) -> str | None:
    """The location page, once the daycare location URLs are mounted."""
    try:
        return reverse("locations:detail", kwargs={"code": location.code})
    except NoReverseMatch:
        return None


def child_card(request, *, child, children, **context):
    # One query for all the cards of the page (R11: no "Report absent" once a contract ended).
    cache = getattr(request, "_absences_reportable", None)
    if cache is None or child.pk not in cache[0]:
        family = list(children) if child in children else [*children, child]
        cache = ({c.pk for c in family}, children_who_can_be_reported(family))
        request._absences_reportable = cache
    return render_to_string(
        "absences/panels/child_card.html",
        {
            "child": child,
            "reportable": child.pk in cache[1],
            "location_url": location_url(child.group.location),
        },
        request=request,
    )


def staff_home(request, *, groups, scope, **context):
    from absences.staff_views import _by_group

    day = timezone.localdate()
    absences = list(staff_absences_on(request.user, day))
    return render_to_string(
        "absences/panels/staff_home.html",
        {"day": day, "by_group": _by_group(absences), "count": len(absences)},
        request=request,
    )


def staff_child(request, *, child, **context):
    return render_to_string("absences/panels/staff_child.html", {"child": child}, request=request)
