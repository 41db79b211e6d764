"""Parent pages: the privacy statement (R7, R8), the first-login choices (R1) and the consent
overview where a choice is changed or withdrawn (R4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consent.forms import YES, AcceptForm, ChangeForm, ChoicesForm, field_name
from consent.models import ConsentDecision, PrivacyStatement, Purpose, StatementAcceptance
from consent.selectors import ConsentState, own_decisions
from consent.services import (
    consent_decide,
    consent_decide_many,
    current_statement,
    scheduled_statement,
    statement_accept,
)
from consent.text import explain_consent, render_statement
from core.errors import DomainError
from daycare.access import get_guarded_child_for, guarded_children


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _open_questions(user, children) -> list:
    """[(child, [purpose, ...])] for which this guardian has not decided yet."""
    own = own_decisions(user, children)
    questions = []
    for child in children:
        open_purposes = [p for p in Purpose.values if own[child.pk][p] is None]
        if open_purposes:
            questions.append((child, open_purposes))
    return questions


def _statement_texts(statement):
    english = (get_language() or "nl").startswith("en")
    text = statement.text_en if english else statement.text_nl
    summary = statement.summary_en if english else statement.summary_nl
    return render_statement(text), summary


@login_not_required
@require_http_methods(["GET", "POST"])
def statement(request):
    """The current privacy statement; a parent accepts it here (R7). Readable without login."""
    current = current_statement()
    if current is None:
        return render(request, "consent/statement_missing.html", status=404)
    user = request.user
    accepted = None
    earlier = None
    is_parent = user.is_authenticated and guarded_children(user).exists()
    if is_parent:
        accepted = StatementAcceptance.objects.filter(user=user, statement=current).first()
        earlier = (
            StatementAcceptance.objects.filter(user=user)
            .exclude(statement=current)
            .select_related("statement")
            .order_by("-statement__version")
            .first()
        )
    form = AcceptForm(
        request.POST if request.method == "POST" else None, initial={"version": current.version}
    )
    if request.method == "POST":
        if not is_parent:
            raise Http404
        if form.is_valid():
            chosen = PrivacyStatement.objects.filter(
                version=form.cleaned_data["version"], published_at__isnull=False
            ).first()
            if chosen is None:
                form.add_error(None, _("This version of the privacy statement does not exist."))
            else:
                try:
                    statement_accept(user=user, statement=chosen)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request, _("Thank you. You have accepted the privacy statement.")
                    )
                    children = list(guarded_children(user))
                    if _open_questions(user, children):
                        query = urlencode({"next": _next_url(request)})
                        return redirect(f"{reverse('consent:choices')}?{query}")
                    return redirect(_next_url(request))
        else:
            form.add_error(None, _("Accept the version shown on this page."))
    text, summary = _statement_texts(current)
    return render(
        request,
        "consent/statement.html",
        {
            "statement": current,
            "text": text,
            "summary": summary,
            "accepted": accepted,
            "earlier": earlier,
            "is_parent": is_parent,
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def choices(request):
    """First login (R1): per child, photos yes/no and diary yes/no; nothing preselected."""
    children = list(guarded_children(request.user).select_related("group__location"))
    questions = _open_questions(request.user, children)
    if request.method == "POST":
        # A choice about a child that is not this parent's: not found, and nothing recorded.
        known = {child.code for child in children}
        for key in request.POST:
            code, sep, purpose = key.rpartition("-")
            if sep and purpose in Purpose.values and code not in known:
                raise Http404
        if "later" in request.POST:
            messages.info(
                request,
                _(
                    "You have not chosen yet; you can choose at any time under Privacy choices. "
                    "Until then, photos and the diary of a child are on only where another "
                    "guardian said yes and nobody said no."
                ),
            )
            return redirect(_next_url(request))
    if not questions:
        return redirect(_next_url(request, default="consent:overview"))
    form = ChoicesForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            consent_decide_many(decided_by=request.user, choices=form.choices())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your choices have been saved."))
            return redirect(_next_url(request, default="consent:overview"))
    explained = explain_consent(request.user, [child for child, _fields in form.grouped()])
    return render(
        request,
        "consent/choices.html",
        {
            "form": form,
            "groups": [
                (child, fields, [explained[child.pk][p].text for p in Purpose.values])
                for child, fields in form.grouped()
            ],
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def overview(request):
    """The current state per child and purpose, and this parent's own choice (R4)."""
    children = list(guarded_children(request.user).select_related("group__location"))
    explained = explain_consent(request.user, children)
    history = (
        ConsentDecision.objects.filter(child__in=children)
        .select_related("child", "decided_by")
        .order_by("-pk")[:50]
    )
    rows = [
        (
            child,
            [
                {
                    "purpose": purpose,
                    "label": Purpose(purpose).label,
                    "state": explained[child.pk][purpose].state,
                    "own": explained[child.pk][purpose].own,
                    "why": explained[child.pk][purpose].text,
                }
                for purpose in Purpose.values
            ],
        )
        for child in children
    ]
    return render(
        request,
        "consent/overview.html",
        {
            "rows": rows,
            "history": history,
            "has_open": any(item["own"] is None for _c, items in rows for item in items),
            "GIVEN": ConsentState.GIVEN,
            "REFUSED": ConsentState.REFUSED,
        },
    )


@require_http_methods(["GET", "POST"])
def change(request, child_code, purpose):
    """Change one choice: one action and a confirmation (R4). Takes effect on the next request."""
    child = get_guarded_child_for(request.user, child_code)
    if purpose not in Purpose.values:
        raise Http404
    explained = explain_consent(request.user, [child])[child.pk][purpose]
    own, state = explained.own, explained.state
    wanted = request.GET.get("to")
    initial = {"given": wanted} if wanted in ("yes", "no") else {}
    form = ChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["given"] == YES
        try:
            consent_decide(child=child, purpose=purpose, given=given, decided_by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if given:
                messages.success(request, _("Your consent has been recorded."))
            else:
                messages.success(
                    request, _("Your consent has been withdrawn. This takes effect immediately.")
                )
            return redirect("consent:overview")
    return render(
        request,
        "consent/change.html",
        {
            "child": child,
            "purpose": purpose,
            "purpose_label": Purpose(purpose).label,
            "own": own,
            "state": state,
            "why": explained.text,
            "wanted": wanted,
            "form": form,
            "field_name": field_name,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_http_methods(["GET"])
def upcoming(request):
    """The announced version before it applies (R7): its text, what changes and from when.
    Nothing to accept yet; the version in force stays."""
    upcoming = scheduled_statement()
    if upcoming is None:
        return render(request, "consent/statement_missing.html", status=404)
    text, summary = _statement_texts(upcoming)
    return render(
        request,
        "consent/statement_upcoming.html",
        {"statement": upcoming, "text": text, "summary": summary},
    )
