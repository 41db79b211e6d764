"""The staff pages that show every feature of the portal together: the staff home, a group and
a child's staff page. They sit here, in the wiring layer, because each calls the part of every
app (``<app>/panels.py``) by name; the apps themselves import only downwards (README, "Imports go
one way")."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from absences import panels as absences_panels
from audit import panels as audit_panels
from consent import panels as consent_panels
from core.errors import DomainError
from daycare import services
from daycare.access import (
    get_child_for,
    get_group_for,
    is_customer_service,
    staff_scope,
    visible_groups,
)
from daycare.forms import GuardianRequestForm, ReasonForm
from daycare.models import Child, Guardianship, GuardianshipRequest
from diary import panels as diary_panels
from messaging import panels as messaging_panels
from newsletters import panels as newsletters_panels
from photos import panels as photos_panels
from retention import panels as retention_panels


def _staff_home_panels(request, *, groups, scope) -> list[str]:
    """What each feature shows on the staff home, above the groups: rendered HTML, or None to
    show nothing (templates autoescape anything that is not a safe string)."""
    parts = [
        consent_panels.staff_home(request, groups=groups),
        diary_panels.staff_home(request, groups=groups, scope=scope),
        photos_panels.staff_home(request, groups=groups, scope=scope),
        absences_panels.staff_home(request, groups=groups, scope=scope),
        messaging_panels.staff_home(request, groups=groups, scope=scope),
        newsletters_panels.staff_home(request, groups=groups, scope=scope),
        retention_panels.staff_home(request),
        audit_panels.staff_home(request, scope=scope),
    ]
    return [part for part in parts if part]


def _staff_child_panels(request, child) -> list[str]:
    """What each feature shows on the staff page of one child."""
    parts = [
        consent_panels.staff_child(request, child=child),
        diary_panels.staff_child(request, child=child),
        absences_panels.staff_child(request, child=child),
        messaging_panels.staff_child(request, child=child),
    ]
    return [part for part in parts if part]


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
        "portal/staff/home.html",
        {
            "groups": groups,
            "scope": scope,
            "pending_guardian_requests": (
                GuardianshipRequest.objects.filter(
                    status=GuardianshipRequest.Status.PENDING, child__archived_at__isnull=True
                ).count()
                if scope.everything
                else None
            ),
            "panels": _staff_home_panels(request, groups=groups, scope=scope),
        },
    )


def group_detail(request, code):
    group = get_group_for(request.user, code)
    children = group.children.filter(archived_at__isnull=True).order_by("first_name")
    return render(request, "portal/staff/group_detail.html", {"group": group, "children": children})


def _guardianship_context(child, *, viewer):
    return {
        "guardians": Guardianship.objects.filter(child=child)
        .select_related("user")
        .order_by("created_at"),
        "requests": child.guardianship_requests.filter(
            status__in=[GuardianshipRequest.Status.PENDING, GuardianshipRequest.Status.APPROVED]
        )
        .select_related("requested_by", "invitation")
        .order_by("-requested_at"),
        "history": child.guardianship_events.select_related("actor")[:50],
        "is_service": is_customer_service(viewer),
    }


def child_detail(request, code):
    """The staff page of a child: facts, guardians and their history (R27), contracts.

    Workers and managers *ask* for a new guardian here; customer service adds one (R27)."""
    child = get_child_for(request.user, code)
    form = GuardianRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.guardianship_request_create(
                child=child,
                email=form.cleaned_data["email"],
                relation=form.cleaned_data["relation"],
                note=form.cleaned_data["note"],
                requested_by=request.user,
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            if made.status == GuardianshipRequest.Status.APPROVED:
                messages.success(request, _("The invitation has been sent."))
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been sent to customer service. Nobody gets access "
                        "before customer service approves it."
                    ),
                )
            return redirect("staff:child", code=child.code)
    return render(
        request,
        "portal/staff/child_detail.html",
        {
            "child": child,
            "contracts": child.contracts.select_related("group"),
            "form": form,
            "remove_form": ReasonForm(prefix="remove"),
            "panels": _staff_child_panels(request, child),
            **_guardianship_context(child, viewer=request.user),
        },
        status=400 if request.method == "POST" else 200,
    )
