from typing import TYPE_CHECKING

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms import ContactDetailsForm
from daycare.models import Child
from retention.models import DataRequest

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from diary.models import DiaryEntry

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
        required=False,
        help_text=_(
            "For a correction: what is wrong and what should it be? For access you may leave "
            "this empty."
        ),
    )

    def __init__(self, *args: "Any", children: "Iterable[Child]", **kwargs: "Any") -> None:
        super().__init__(*args, **kwargs)
        self.children = {child.code: child for child in children}
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["subject"].choices = [(ME, _("Myself"))] + [  # type: ignore[attr-defined]
            (child.code, child.first_name) for child in children
        ]

    def clean(self) -> "dict[str, Any]":
        super().clean()
        data = self.cleaned_data
        text = (data.get("explanation") or "").strip()
        data["explanation"] = text
        # R20: an explanation is optional for access; a correction or erasure needs one.
        if not text and data.get("kind") in (DataRequest.Kind.CORRECTION, DataRequest.Kind.ERASURE):
            self.add_error("explanation", _("Explain your request in a few words."))
        return data

    def child(self) -> Child | None:
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


class PartialErasureForm(forms.Form):
    """R20: erase part of the data from an erasure request: the child's photos, one diary
    entry of the child, or the parent's messages."""

    part = forms.ChoiceField(label=_("What to erase"), widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_("I understand that this erases the data now and cannot be undone")
    )

    def __init__(
        self,
        *args: "Any",
        request: DataRequest,
        entries: "Iterable[DiaryEntry]",
        messages: int,
        **kwargs: "Any",
    ):
        super().__init__(*args, **kwargs)
        self.entries = {f"entry-{entry.code}": entry for entry in entries}
        choices = []
        if request.about_child and request.child:
            name = request.child.first_name
            choices.append(("photos", _("The photos of %(name)s") % {"name": name}))
        choices.append(
            ("messages", _("The messages the parent wrote (%(count)s)") % {"count": messages})
        )
        for key, entry in self.entries.items():
            author = entry.author.display_name if entry.author else "—"
            label = _("Diary entry of %(date)s by %(author)s: %(text)s") % {
                "date": date_format(entry.day.date, "j F Y"),
                "author": author,
                "text": entry.text[:60],
            }
            choices.append((key, label))
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["part"].choices = choices  # type: ignore[attr-defined]

    def chosen(self) -> tuple[str, int | None]:
        part = self.cleaned_data["part"]
        if part in self.entries:
            return "entry", self.entries[part].pk
        return part, None


class ParentCorrectionForm(ContactDetailsForm):
    """R20: customer service corrects the parent's name and contact details from the request,
    with the same checks as the parent's own page."""


class ChildCorrectionForm(forms.ModelForm):
    """R20: customer service corrects a child's name and date of birth from the request."""

    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class EntryCorrectionForm(forms.Form):
    """R20: the text of one diary entry of the child; its author is told."""

    entry = forms.ChoiceField(label=_("Diary entry"))
    text = forms.CharField(
        label=_("Corrected text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args: "Any", entries: "Iterable[DiaryEntry]", **kwargs: "Any") -> None:
        super().__init__(*args, **kwargs)
        self.entries = {entry.code: entry for entry in entries}
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["entry"].choices = [  # type: ignore[attr-defined]
            (
                entry.code,
                f"{entry.day.date:%d-%m-%Y} · "
                f"{entry.author.display_name if entry.author else '—'} · {entry.text[:60]}",
            )
            for entry in entries
        ]
