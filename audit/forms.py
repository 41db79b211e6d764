from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AccessKind

MAX_TEXT = 100
FIRST_YEAR, LAST_YEAR = 2000, 2100
TEXT_ERRORS = {"max_length": _("Search with at most %(limit_value)d characters.")}


class AccessSearchForm(forms.Form):
    """Customer service's search of the access log. Every field is optional."""

    child = forms.CharField(
        label=_("Child (name or code)"),
        max_length=MAX_TEXT,
        required=False,
        strip=True,
        error_messages=TEXT_ERRORS,
    )
    staff = forms.CharField(
        label=_("Staff member (e-mail)"),
        max_length=MAX_TEXT,
        required=False,
        strip=True,
        error_messages=TEXT_ERRORS,
    )
    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything")), *AccessKind.choices], required=False
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, e.g. 2026-11-03.")},
    )
    end = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, e.g. 2026-11-03.")},
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not (FIRST_YEAR <= value.year <= LAST_YEAR):
                self.add_error(
                    name,
                    _("Enter a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                data[name] = None
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return data
