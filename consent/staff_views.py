"""Staff pages (R6): the consent state of each child of a group, the full history of a child
for the location manager and customer service, and paper decisions recorded by customer
service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from consent.forms import YES, PaperDecisionForm
from consent.models import Channel, ConsentDecision, Purpose
from consent.selectors import consent_states
from consent.services import consent_decide
from daycare.access import get_child_for, get_group_for, is_customer_service, staff_scope
from portal.errors import DomainError


def can_see_history(user, child) -> bool:
    scope = staff_scope(user)
    return scope.everything or child.group.location_id in scope.location_ids


def group(request, code):
    """Consent per child of one group: two queries whatever the group's size."""
    group = get_group_for(request.user, code)
    children = list(group.children.filter(archived_at__isnull=True).order_by("first_name"))
    states = consent_states(children)
    scope = staff_scope(request.user)
    rows = [(child, [states[child.pk][p] for p in Purpose.values]) for child in children]
    return render(
        request,
        "consent/staff/group.html",
        {
            "group": group,
            "rows": rows,
            "purposes": [Purpose(p).label for p in Purpose.values],
            "history_allowed": scope.everything or group.location_id in scope.location_ids,
        },
    )


def _history_child(request, code):
    child = get_child_for(request.user, code)
    if not can_see_history(request.user, child):
        raise Http404
    return child


def history(request, code):
    child = _history_child(request, code)
    decisions = (
        ConsentDecision.objects.filter(child=child)
        .select_related("decided_by", "recorded_by", "statement")
        .order_by("-pk")
    )
    states = consent_states([child])[child.pk]
    return render(
        request,
        "consent/staff/history.html",
        {
            "child": child,
            "decisions": decisions,
            "states": [(Purpose(p).label, states[p]) for p in Purpose.values],
            "can_record": is_customer_service(request.user),
        },
    )


def paper(request, code):
    """Customer service records a decision a guardian gave on paper (channel paper)."""
    if not is_customer_service(request.user):
        raise Http404
    child = get_child_for(request.user, code)
    form = PaperDecisionForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            consent_decide(
                child=child,
                purpose=form.cleaned_data["purpose"],
                given=form.cleaned_data["given"] == YES,
                decided_by=form.cleaned_data["guardianship"].user,
                recorded_by=request.user,
                channel=Channel.PAPER,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The paper decision has been recorded."))
            return redirect("consent_staff:history", code=child.code)
    return render(
        request,
        "consent/staff/paper.html",
        {"child": child, "form": form},
        status=400 if request.method == "POST" else 200,
    )
