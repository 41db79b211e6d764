from django import forms
from django.utils.translation import gettext_lazy as _

from push.models import Kind, PushSettings


class KindsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Kind.choices)
        kwargs.setdefault("label", _("Notify me about"))
        super().__init__(**kwargs)


class SubscribeForm(forms.Form):
    """Filled in by the page's script from ``pushManager.subscribe()``; checked again in
    ``subscription_save``."""

    endpoint = forms.CharField(max_length=1000, widget=forms.HiddenInput, required=False)
    p256dh = forms.CharField(max_length=100, widget=forms.HiddenInput, required=False)
    auth = forms.CharField(max_length=40, widget=forms.HiddenInput, required=False)
    kinds = KindsField(required=False, initial=Kind.values, label=_("Notify this device about"))


class DeviceForm(forms.Form):
    kinds = KindsField(required=False)


class TimingForm(forms.ModelForm):
    class Meta:
        model = PushSettings
        fields = ["mode", "quiet_start", "quiet_end", "digest_at"]
        widgets = {
            "mode": forms.RadioSelect,
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "digest_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_end": _("Notifications that arrive in quiet hours are sent when they end."),
            "digest_at": _("Only used for once a day."),
        }
