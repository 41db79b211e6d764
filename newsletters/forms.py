from django import forms
from django.utils.translation import gettext_lazy as _

from daycare.models import Location
from newsletters.models import EmailPreference


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text with simple formatting: **bold**, *italic*, lists (a line starting with "
            "- ), links [text](https://…) and headings (## Heading). An empty line starts a new "
            "paragraph. Anything else is removed."
        ),
    )
    for_all_locations = forms.BooleanField(label=_("For all locations"), required=False)
    locations: "forms.ModelMultipleChoiceField[Location]" = forms.ModelMultipleChoiceField(
        label=_("Locations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    published_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now. A later time schedules it."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    image = forms.FileField(label=_("Image"), required=False, help_text=_("JPEG, PNG or HEIC."))
    pdf = forms.FileField(label=_("Newsletter (PDF)"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF documents or photos.")
    )

    def __init__(self, *args, kind, locations, everything, **kwargs):
        super().__init__(*args, **kwargs)
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["locations"].queryset = locations  # type: ignore[attr-defined]
        if not everything:
            del self.fields["for_all_locations"]
            if len(locations) == 1:
                self.fields["locations"].initial = list(locations)
        if kind == "news":
            del self.fields["pdf"]
        else:
            del self.fields["image"]
            del self.fields["attachments"]
            self.fields["body"].help_text = _("Optional when you upload a PDF.")

    def clean_published_at(self):
        return self.cleaned_data.get("published_at") or None


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["news", "newsletters"]
