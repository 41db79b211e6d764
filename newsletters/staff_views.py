"""Staff pages: publish news and newsletters (R13). Location managers for their location,
customer service for any or all locations; everyone else gets 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from daycare.access import staff_scope
from newsletters import services
from newsletters.forms import PublicationForm
from newsletters.models import Publication
from newsletters.selectors import (
    can_publish,
    editable_publications,
    get_publication_for_publisher,
    publishable_locations,
)


def _publisher(request):
    if not can_publish(request.user):
        raise Http404


def publication_list(request):
    _publisher(request)
    publications = (
        editable_publications(request.user)
        .prefetch_related("locations")
        .order_by("-published_at", "-pk")[:100]
    )
    return render(
        request,
        "newsletters/staff/list.html",
        {"publications": publications, "now": timezone.now()},
    )


def _form_page(request, *, kind, publication=None):
    scope = staff_scope(request.user)
    locations = publishable_locations(request.user)
    initial = {}
    if publication is not None:
        initial = {
            "title": publication.title,
            "body": publication.body,
            "for_all_locations": publication.for_all_locations,
            "locations": list(publication.locations.all()),
            "published_at": timezone.localtime(publication.published_at),
        }
    form = PublicationForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        locations=locations,
        everything=scope.everything,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publication = _save(request, data, kind=kind, publication=publication)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if publication.published_at > timezone.now():
                messages.success(request, _("Saved. It will be published at the set time."))
            else:
                messages.success(request, _("Published. Parents get an e-mail within minutes."))
            return redirect("newsletters_staff:list")
    return render(
        request,
        "newsletters/staff/form.html",
        {"form": form, "kind": kind, "publication": publication},
    )


def _save(request, data, *, kind, publication):
    content = services.PublicationContent(
        title=data["title"],
        body=data["body"],
        for_all_locations=data.get("for_all_locations", False),
        locations=list(data["locations"]),
        published_at=data["published_at"],
        image=data.get("image"),
        pdf=data.get("pdf"),
        attachments=data.get("attachments") or (),
    )
    if publication is None:
        return services.publication_create(user=request.user, kind=kind, content=content)
    return services.publication_update(
        publication=publication,
        user=request.user,
        content=content,
        remove_attachments=tuple(request.POST.getlist("remove_attachment")),
        remove_image=bool(request.POST.get("remove_image")),
    )


def publication_create(request, kind):
    _publisher(request)
    if kind not in Publication.Kind.values:
        raise Http404
    return _form_page(request, kind=kind)


def publication_edit(request, code):
    _publisher(request)
    publication = get_publication_for_publisher(request.user, code)
    return _form_page(request, kind=publication.kind, publication=publication)


@require_POST
def publication_delete(request, code):
    _publisher(request)
    publication = get_publication_for_publisher(request.user, code)
    services.publication_delete(publication=publication)
    messages.success(request, _("Deleted."))
    return redirect("newsletters_staff:list")
