from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.names import clean_display_name

phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{6,20}$", _("Enter a phone number with digits only, for example 06 12345678.")
)
postal_code_validator = RegexValidator(
    r"^[0-9]{4} ?[A-Za-z]{2}$|^$", _("Enter a Dutch postal code, for example 1234 AB.")
)


class ContactDetailsForm(forms.ModelForm):
    """The contact details a parent sees and corrects (R15). E-mail changes go through
    allauth's e-mail page, which verifies the new address."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "street", "postal_code", "city"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["phone"].validators.append(phone_validator)
        self.fields["postal_code"].validators.append(postal_code_validator)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"

    def clean_first_name(self):
        return clean_display_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_display_name(self.cleaned_data["last_name"])

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip().upper()
        if len(value) == 6:
            value = f"{value[:4]} {value[4:]}"
        return value


class LanguageForm(forms.ModelForm):
    """R25: the language of the portal and of the e-mails, each named in its own language."""

    class Meta:
        model = User
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["language"].choices = [("nl", "Nederlands"), ("en", "English")]  # type: ignore[attr-defined]
