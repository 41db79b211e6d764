"""Parent pages: downloads (R16), data requests (R20)."""

from typing import TYPE_CHECKING

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_log
from core.errors import DomainError
from daycare.access import get_guarded_child_for, guarded_children
from files.delivery import deliver
from retention import services
from retention.exports import download_name
from retention.forms import DataRequestForm
from retention.models import DataRequest, Export
from retention.selectors import children_in_window, consent_refused_since, get_export_for

if TYPE_CHECKING:
    from accounts.typing import UserRequest
    from daycare.models import Child


def index(request: "UserRequest") -> HttpResponse:
    exports = [
        e
        for e in Export.objects.filter(requested_by=request.user).select_related("child")
        if not (e.child and e.child.archived_at)
    ]
    for export in exports:
        # A ZIP the download would refuse (409, consent refused since) is not offered.
        # For the template only.
        export.withheld = export.is_downloadable and consent_refused_since(export)  # type: ignore[attr-defined]
    window = children_in_window(request.user)
    previous = {
        child.pk: services.previous_download(request.user, child) for child, _last in window
    }
    return render(
        request,
        "retention/index.html",
        {
            "window": [(child, last, previous.get(child.pk)) for child, last in window],
            "exports": exports,
            "requests": DataRequest.objects.filter(requested_by=request.user)
            .select_related("child", "export")
            .order_by("-received_at"),
        },
    )


@require_POST
def export_child(request: "UserRequest", code: str) -> HttpResponseBase:
    child = get_guarded_child_for(request.user, code)
    response: HttpResponseBase = _export_child(request, child)  # untyped: see the decorator
    return response


# R23: the password (or a code) again before all data leaves.
@reauthentication_required  # type: ignore[untyped-decorator]  # allauth has no type information
def _export_child(request: "UserRequest", child: "Child") -> HttpResponseBase:
    services.export_request(
        requested_by=request.user, child=child, since_last=request.POST.get("since") == "last"
    )
    messages.success(
        request,
        _(
            "We are preparing the download for %(name)s. You will receive an e-mail when it is "
            "ready; the link is on this page."
        )
        % {"name": child.first_name},
    )
    return redirect("retention:index")


@require_POST
def export_me(request: "UserRequest") -> HttpResponseBase:
    response: HttpResponseBase = _export_me(request)  # untyped: see the decorator
    return response


# R23: the password (or a code) again before all data leaves.
@reauthentication_required  # type: ignore[untyped-decorator]  # allauth has no type information
def _export_me(request: "UserRequest") -> HttpResponseBase:
    """R21: the person's own data (account, children, consent, messages and notes they wrote,
    absences, requests, sessions, the access log of their children) as one ZIP."""
    services.export_request(requested_by=request.user, person=request.user)
    messages.success(
        request,
        _(
            "We are preparing the download of your own data. You will receive an e-mail when "
            "it is ready; the link is on this page."
        ),
    )
    return redirect("retention:index")


def download(request: "UserRequest", code: str) -> HttpResponseBase:
    export = get_export_for(request.user, code)
    withdrawn = export.is_downloadable and consent_refused_since(export)
    if not export.is_downloadable or withdrawn:
        status = 410 if export.is_expired else 409
        return render(
            request,
            "retention/export_unavailable.html",
            {"export": export, "withdrawn": withdrawn},
            status=status,
        )
    access_log(user=request.user, child=export.child, kind=AccessKind.EXPORT_DOWNLOADED)
    return deliver(
        export.storage_key,
        filename=download_name(export),
        content_type="application/zip",
        attachment=True,
    )


def request_new(request: "UserRequest") -> HttpResponseBase:
    children = list(guarded_children(request.user).order_by("first_name"))
    form = DataRequestForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_file(
                user=request.user,
                kind=form.cleaned_data["kind"],
                child=form.child(),
                explanation=form.cleaned_data["explanation"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("We received your request. Customer service answers within 4 weeks."),
            )
            return redirect("retention:index")
    return render(request, "retention/request_form.html", {"form": form})
