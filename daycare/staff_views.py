from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from absences import panels as absences_panels
from audit import panels as audit_panels
from consent import panels as consent_panels
from daycare import services
from daycare.access import (
    get_child_for,
    get_group_for,
    is_customer_service,
    staff_scope,
    visible_children,
    visible_groups,
)
from daycare.forms import GuardianRequestForm, ReasonForm
from daycare.models import Child, Guardianship, GuardianshipRequest
from diary import panels as diary_panels
from messaging import panels as messaging_panels
from newsletters import panels as newsletters_panels
from photos import panels as photos_panels
from portal.errors import DomainError
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
        "daycare/staff/home.html",
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
    return render(
        request, "daycare/staff/group_detail.html", {"group": group, "children": children}
    )


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
            return redirect("daycare_staff:child", code=child.code)
    return render(
        request,
        "daycare/staff/child_detail.html",
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


def _service_only(request):
    if not is_customer_service(request.user):
        raise Http404


def _request_for(request, code) -> GuardianshipRequest:
    _service_only(request)
    return get_object_or_404(
        GuardianshipRequest.objects.select_related(
            "child__group__location", "requested_by", "decided_by"
        ),
        code=code,
        child__archived_at__isnull=True,
    )


def guardian_requests(request):
    """Customer service's queue of requested guardians (R27), oldest first."""
    _service_only(request)
    base = GuardianshipRequest.objects.filter(child__archived_at__isnull=True).select_related(
        "child__group__location", "requested_by", "decided_by"
    )
    return render(
        request,
        "daycare/staff/guardian_requests.html",
        {
            "pending": base.filter(status=GuardianshipRequest.Status.PENDING).order_by(
                "requested_at", "pk"
            ),
            "decided": base.exclude(status=GuardianshipRequest.Status.PENDING).order_by(
                "-decided_at", "-pk"
            )[:30],
        },
    )


def guardian_request_detail(request, code):
    """One request with what customer service needs to decide: the child, who asked and why,
    the guardians the child has now."""
    guardian_request = _request_for(request, code)
    return _guardian_request_page(
        request,
        guardian_request,
        approve_form=ReasonForm(prefix="approve", required=False),
        refuse_form=ReasonForm(prefix="refuse"),
    )


def _guardian_request_page(request, guardian_request, *, status: int = 200, **forms):
    """The page of one request: the child, who asked and why, the guardians the child has now,
    and the ``forms`` (``approve_form``, ``refuse_form``, ``errors``)."""
    return render(
        request,
        "daycare/staff/guardian_request.html",
        {
            "request_": guardian_request,
            "child": guardian_request.child,
            "guardians": Guardianship.objects.filter(child=guardian_request.child)
            .select_related("user")
            .order_by("created_at"),
            **forms,
        },
        status=status,
    )


@require_POST
def guardian_request_decide(request, code, decision):
    guardian_request = _request_for(request, code)
    form = ReasonForm(request.POST, prefix=decision, required=decision == "refuse")
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if decision == "approve":
                services.guardianship_request_approve(
                    request=guardian_request, decided_by=request.user, reason=reason
                )
                messages.success(request, _("Approved: the invitation has been sent."))
            else:
                services.guardianship_request_refuse(
                    request=guardian_request, decided_by=request.user, reason=reason
                )
                messages.success(request, _("The request has been refused."))
        except DomainError as error:
            form.add_error(None, error.message)
            guardian_request.refresh_from_db()
        else:
            return redirect("daycare_staff:guardian_requests")
    return _guardian_request_page(
        request,
        guardian_request,
        approve_form=form if decision == "approve" else ReasonForm(prefix="approve"),
        refuse_form=form if decision == "refuse" else ReasonForm(prefix="refuse"),
        # Once decided the forms are gone: the reason for refusing shows on its own.
        errors=(
            form.non_field_errors()
            if guardian_request.status != GuardianshipRequest.Status.PENDING
            else None
        ),
        status=400,
    )


@require_POST
def guardian_request_withdraw(request, code):
    """The requester (while pending) or customer service withdraws a request; 404 for others."""
    guardian_request = get_object_or_404(
        GuardianshipRequest.objects.filter(child__in=visible_children(request.user)), code=code
    )
    try:
        services.guardianship_request_withdraw(request=guardian_request, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("daycare_staff:child", code=guardian_request.child.code)


@require_POST
def guardian_remove(request, code, guardianship_code):
    """Customer service ends a guardianship (R27); effective on the person's next request."""
    _service_only(request)
    child = get_child_for(request.user, code)
    guardianship = get_object_or_404(
        Guardianship.objects.select_related("user"), child=child, code=guardianship_code
    )
    form = ReasonForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            services.guardianship_remove(
                guardianship=guardianship,
                removed_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The guardian has been removed."))
            return redirect("daycare_staff:child", code=child.code)
    else:
        messages.error(request, _("Give the reason for removing this guardian."))
    return redirect("daycare_staff:child", code=child.code)
