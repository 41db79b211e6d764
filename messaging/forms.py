from django import forms
from django.utils.translation import gettext_lazy as _

from daycare.models import Child
from files.uploads import UploadRejected
from messaging.models import NotificationPreference
from messaging.services import MAX_ATTACHMENTS, MAX_BODY, clean_attachment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS photos or PDFs; each is checked by content and re-encoded."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,.pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)d files to one message."), params={"n": MAX_ATTACHMENTS}
            )
        cleaned = []
        for uploaded in uploads:
            try:
                cleaned.append(clean_attachment(uploaded))
            except UploadRejected as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return cleaned


def _body_field():
    return forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a message before sending.")},
    )


def _attachments_field():
    return AttachmentsField(
        label=_("Photos or PDF files (optional)"),
        required=False,
        help_text=_("At most 5 files of 10 MB each: JPEG, PNG, HEIC or PDF."),
    )


class StartForm(forms.Form):
    child: "forms.ModelChoiceField[Child]" = forms.ModelChoiceField(
        label=_("About"), queryset=None, empty_label=None, to_field_name="code"
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = _body_field()
    attachments = _attachments_field()

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["child"].queryset = children  # type: ignore[attr-defined]
        self.fields["child"].label_from_instance = lambda child: child.full_name  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    body = _body_field()
    attachments = _attachments_field()


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_on_new_message"]
