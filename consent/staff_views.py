"""Staff pages (R6): the consent state of each child of a group, the full history of a child
for the location manager and customer service, and paper decisions recorded by customer
service."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from consent.forms import YES, PaperDecisionForm
from consent.models import (
    Channel,
    ConsentDecision,
    PrivacyStatement,
    Purpose,
    VerificationRun,
)
from consent.selectors import consent_states
from consent.services import (
    consent_decide,
    current_statement,
    earliest_effective_date,
    parents_to_announce_count,
    statement_publish,
    statement_withdraw,
)
from core.errors import DomainError
from daycare.access import get_child_for, get_group_for, is_customer_service, staff_scope


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


class PublishForm(forms.Form):
    effective_on = forms.DateField(
        label=gettext_lazy("Applies from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _privacy_officer(request):
    if not is_customer_service(request.user):
        raise Http404


def _statement_for(version: int) -> PrivacyStatement:
    # The version number is public (the statement page shows it), not a key of personal data.
    try:
        return PrivacyStatement.objects.get(version=version)
    except PrivacyStatement.DoesNotExist:
        raise Http404 from None


def statements(request):
    """R7: the versions with their state; a draft is published with an effective date, an
    announced version can be withdrawn until it applies. Customer service only."""
    _privacy_officer(request)
    current = current_statement()
    rows = []
    now = timezone.now()
    for statement in PrivacyStatement.objects.order_by("-version"):
        if statement.published_at is None:
            state = _("draft")
        elif statement.withdrawn_at is not None:
            state = _("withdrawn")
        elif statement.applies_from > now:
            state = _("announced")
        elif current is not None and statement.pk == current.pk:
            state = _("in force")
        else:
            state = _("replaced")
        rows.append((statement, state))
    earliest = earliest_effective_date()
    return render(
        request,
        "consent/staff/statements.html",
        {
            "rows": rows,
            "earliest": earliest,
            "form": PublishForm(initial={"effective_on": earliest}),
            "notice_days": settings.STATEMENT_NOTICE_DAYS,
            "now": now,
        },
    )


@require_POST
def statement_publish_view(request, version):
    """Two steps: the first POST shows what will happen (how many parents get the e-mail,
    from when it applies); the second, with ``confirm``, publishes (R7)."""
    _privacy_officer(request)
    statement = _statement_for(version)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the date from which the new version applies."))
        return redirect("consent_staff:statements")
    effective_on = form.cleaned_data["effective_on"]
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "consent/staff/statement_confirm.html",
            {
                "statement": statement,
                "effective_on": effective_on,
                "count": parents_to_announce_count(),
                "earliest": earliest_effective_date(),
            },
        )
    try:
        statement_publish(statement=statement, effective_on=effective_on)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(version)s is announced and applies from %(date)s.")
            % {"version": statement.version, "date": formats.date_format(effective_on, "j F Y")},
        )
    return redirect("consent_staff:statements")


@require_POST
def statement_withdraw_view(request, version):
    _privacy_officer(request)
    statement = _statement_for(version)
    try:
        statement_withdraw(statement=statement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(version)s is withdrawn. The current version stays in force.")
            % {"version": statement.version},
        )
    return redirect("consent_staff:statements")


RUNS_SHOWN = 90


def verification(request):
    """Customer service: the record of every nightly check of the consent projection (issue
    16), newest first. One query."""
    if not is_customer_service(request.user):
        raise Http404
    runs = list(VerificationRun.objects.all()[:RUNS_SHOWN])
    return render(request, "consent/staff/verification.html", {"runs": runs})
