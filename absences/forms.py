from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from absences.models import Absence


class AbsenceForm(forms.Form):
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty for one day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=Absence.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what the illness is, or when you expect to be back."),
    )

    def __init__(self, *args, first_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = first_day or timezone.localdate()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start_date") and not data.get("end_date"):
            data["end_date"] = data["start_date"]
        return data
