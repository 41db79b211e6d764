from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daycare import services
from daycare.access import get_child_for, get_group_for, staff_scope, visible_groups
from daycare.forms import InviteGuardianForm
from daycare.models import Child, Guardianship
from portal.errors import DomainError
from portal.panels import render_panels


def home(request):
    """Staff home: my groups and their children."""
    groups = (
        visible_groups(request.user)
        .select_related("location")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Child.objects.filter(archived_at__isnull=True).order_by("first_name"),
            )
        )
    )
    scope = staff_scope(request.user)
    return render(
        request,
        "daycare/staff/home.html",
        {
            "groups": groups,
            "scope": scope,
            "panels": render_panels(request, "staff_home", groups=groups, scope=scope),
        },
    )


def group_detail(request, code):
    group = get_group_for(request.user, code)
    children = group.children.filter(archived_at__isnull=True).order_by("first_name")
    return render(
        request, "daycare/staff/group_detail.html", {"group": group, "children": children}
    )


def child_detail(request, code):
    child = get_child_for(request.user, code)
    guardians = Guardianship.objects.filter(child=child).select_related("user")
    form = InviteGuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                child=child, email=form.cleaned_data["email"], invited_by=request.user
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("daycare_staff:child", code=child.code)
    return render(
        request,
        "daycare/staff/child_detail.html",
        {
            "child": child,
            "guardians": guardians,
            "contracts": child.contracts.select_related("group"),
            "invitations": child.invitations.filter(accepted_at__isnull=True),
            "form": form,
            "panels": render_panels(request, "staff_child", child=child),
        },
    )
