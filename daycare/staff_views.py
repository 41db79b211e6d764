from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from daycare import services
from daycare.access import (
    get_child_for,
    is_customer_service,
    visible_children,
)
from daycare.forms import ReasonForm
from daycare.models import Guardianship, GuardianshipRequest


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
    return redirect("staff:child", code=guardian_request.child.code)


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
            return redirect("staff:child", code=child.code)
    else:
        messages.error(request, _("Give the reason for removing this guardian."))
    return redirect("staff:child", code=child.code)
