from django import forms
from django.utils.translation import gettext_lazy as _

from consent.models import Purpose
from daycare.models import Guardianship

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes, I give consent")), (NO, _("No, I do not give consent"))]
REQUIRED = {
    "required": _("Choose yes or no."),
    "invalid_choice": _("Choose yes or no."),
}


def field_name(child, purpose: str) -> str:
    return f"{child.code}-{purpose}"


class ChoicesForm(forms.Form):
    """The first-login choices (R1): for each child and each open purpose, yes or no.
    Nothing is preselected; every question must be answered."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions  # [(child, [purpose, ...]), ...]
        for child, purposes in questions:
            for purpose in purposes:
                self.fields[field_name(child, purpose)] = forms.ChoiceField(
                    label=Purpose(purpose).label,
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    error_messages=REQUIRED,
                )

    def grouped(self):
        """[(child, [bound field, ...]), ...] for the template."""
        return [
            (child, [self[field_name(child, purpose)] for purpose in purposes])
            for child, purposes in self.questions
        ]

    def choices(self):
        return [
            (child, purpose, self.cleaned_data[field_name(child, purpose)] == YES)
            for child, purposes in self.questions
            for purpose in purposes
        ]


class ChangeForm(forms.Form):
    given = forms.ChoiceField(
        label=_("Your choice"), choices=YES_NO, widget=forms.RadioSelect, error_messages=REQUIRED
    )


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.display_name


class PaperDecisionForm(forms.Form):
    """Customer service records a decision a guardian gave on paper (R6, channel paper)."""

    guardianship = GuardianChoiceField(
        label=_("Guardian who signed"),
        queryset=Guardianship.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this child's guardians.")},
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose photos or diary."),
            "invalid_choice": _("Choose photos or diary."),
        },
    )
    given = forms.ChoiceField(
        label=_("Decision on the form"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    confirm = forms.BooleanField(
        label=_("I have checked the signed form and the guardian's identity."),
        error_messages={"required": _("Confirm that you checked the signed form.")},
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["guardianship"].queryset = Guardianship.objects.filter(  # type: ignore[attr-defined]
            child=child
        ).select_related("user")
