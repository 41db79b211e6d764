from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retention.models import DataRequest

ME = "me"


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"), choices=DataRequest.Kind.choices, widget=forms.RadioSelect
    )
    subject = forms.ChoiceField(label=_("About whom?"))
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("For a correction: what is wrong and what should it be?"),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.code: child for child in children}
        self.fields["subject"].choices = [(ME, _("Myself"))] + [
            (child.code, child.first_name) for child in children
        ]

    def clean_explanation(self):
        text = self.cleaned_data["explanation"].strip()
        if not text:
            raise forms.ValidationError(_("Explain your request in a few words."))
        return text

    def child(self):
        return self.children.get(self.cleaned_data["subject"])


class NoteForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("data request", "Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome for the parent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("The parent reads this on their page."),
    )


class ErasureForm(forms.Form):
    legal_duty = forms.CharField(
        label=_("Legal duty to keep (leave empty if none)"),
        required=False,
        max_length=1000,
        help_text=_("If filled in, the erasure is refused with this reason."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this erases the data now and cannot be undone")
    )
