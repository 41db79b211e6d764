"""Where the access log shows on shared pages."""

from django.template.loader import render_to_string


def child_card(request, *, child, **context):
    """A plain link (no query per child): who on the staff viewed this child's data."""
    return render_to_string("audit/panels/child_card.html", {"child": child}, request=request)


def staff_home(request, *, scope=None, **context):
    """Customer service only: the search of the access log."""
    if scope is None or not scope.everything:
        return None
    return render_to_string("audit/panels/staff_home.html", {}, request=request)
