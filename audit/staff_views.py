"""Customer service's search of the access log (R24). Other staff get 404: the page does not
exist for them."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from audit.forms import AccessSearchForm
from audit.selectors import search_events
from daycare.access import is_customer_service

PAGE_SIZE = 50


def search(request):
    if not is_customer_service(request.user):
        raise Http404
    form = AccessSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        events = search_events(
            child=form.cleaned_data["child"],
            staff=form.cleaned_data["staff"],
            kind=form.cleaned_data["kind"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    elif not form.is_bound:
        page = Paginator(search_events(), PAGE_SIZE).get_page(1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/staff/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
