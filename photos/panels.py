from django.template.loader import render_to_string


def staff_home(request, *, groups, scope, **context):
    groups = list(groups)
    if not groups:
        return None
    return render_to_string("photos/panels/staff_home.html", {"groups": groups}, request=request)


def child_card(request, *, child, **context):
    """A plain link (no query per child); the gallery itself applies the consent gate."""
    return render_to_string("photos/panels/child_card.html", {"child": child}, request=request)
