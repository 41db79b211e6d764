"""Staff editing of location information (R14): the location's manager (contact details,
hours, practical notes, closing days) and customer service (also the name and the address).

The page edits daycare's ``Location`` together with the absence settings and closing days of
this app (R11), so it lives here: absences builds on daycare, never the other way round."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from absences import services as absence_services
from absences.models import WEEKDAYS, LocationClosure
from absences.selectors import cutoff_for, opening_days_for
from core.errors import DomainError
from daycare.access import staff_scope
from daycare.models import Location


def managed_locations(user):
    scope = staff_scope(user)
    if scope.everything:
        return Location.objects.all()
    return Location.objects.filter(pk__in=scope.location_ids)


def get_managed_location_for(user, code: str) -> Location:
    try:
        return managed_locations(user).get(code=code)
    except Location.DoesNotExist:
        raise Http404 from None


class LocationForm(forms.ModelForm):
    cutoff_time = forms.TimeField(
        label=gettext_lazy("Absence reports for today close at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    opening_days = forms.MultipleChoiceField(
        label=gettext_lazy("Open on"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Parents cannot report absences for the other days."),
    )

    class Meta:
        model = Location
        fields = ["phone", "email", "opening_hours", "description"]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"description": gettext_lazy("Practical information")}


class ServiceLocationForm(LocationForm):
    """Customer service also keeps the name and the address (issue 6: they edit what the
    manager does not, without needing Django admin)."""

    class Meta(LocationForm.Meta):
        fields = ["name", "street", "postal_code", "city", *LocationForm.Meta.fields]


class ClosureForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=gettext_lazy("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


def location_list(request):
    locations = managed_locations(request.user)
    if not locations.exists():
        raise Http404
    return render(request, "absences/location_staff_list.html", {"locations": locations})


def location_edit(request, code):
    location = get_managed_location_for(request.user, code)
    form_class = ServiceLocationForm if staff_scope(request.user).everything else LocationForm
    form = form_class(
        request.POST or None,
        instance=location,
        initial={
            "cutoff_time": cutoff_for(location),
            "opening_days": [str(day) for day in sorted(opening_days_for(location))],
        },
        prefix="location",
    )
    closure_form = ClosureForm(prefix="closure")
    if request.method == "POST" and form.is_valid():
        absence_services.location_update(
            form=form,
            cutoff_time=form.cleaned_data["cutoff_time"],
            opening_days="".join(form.cleaned_data["opening_days"]),
        )
        messages.success(request, _("The location information has been saved."))
        return redirect("locations_staff:edit", code=location.code)
    return render(
        request,
        "absences/location_edit.html",
        {
            "location": location,
            "form": form,
            "closure_form": closure_form,
            "closures": location.closures.filter(end_date__gte=timezone.localdate()),
        },
    )


@require_POST
def closure_add(request, code):
    location = get_managed_location_for(request.user, code)
    closure_form = ClosureForm(request.POST, prefix="closure")
    if closure_form.is_valid():
        try:
            absence_services.closure_add(location=location, **closure_form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The closing days have been added."))
    else:
        messages.error(request, _("Fill in the first day, the last day and the reason."))
    return redirect("locations_staff:edit", code=location.code)


@require_POST
def closure_delete(request, code, closure_code):
    location = get_managed_location_for(request.user, code)
    try:
        closure = location.closures.get(code=closure_code)
    except LocationClosure.DoesNotExist:
        raise Http404 from None
    absence_services.closure_delete(closure=closure)
    messages.success(request, _("The closing days have been removed."))
    return redirect("locations_staff:edit", code=location.code)
