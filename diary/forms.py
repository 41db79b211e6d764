from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from daycare.models import Child
from diary import items as day_items
from diary.services import TEXT_MAX, check_content, check_date


def _now_hhmm() -> str:
    return timezone.localtime().strftime("%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _text_field(required=False, label=None):
    return forms.CharField(
        label=label or _("Text"),
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; line breaks and links are kept."),
    )


def _meal_moment_field():
    return forms.ChoiceField(
        label=_("Which meal"),  # inside the "Meal" fieldset: a name of its own for screen readers
        choices=day_items.MEAL_MOMENTS,
        required=False,
        widget=forms.RadioSelect,
    )


def _activities_field():
    return forms.MultipleChoiceField(
        label=_("Activities"),
        choices=day_items.ACTIVITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DiaryDateMixin:
    """The ``date`` of a diary form: a day staff may write about (``check_date``)."""

    cleaned_data: dict[str, Any]  # of the form this is mixed into

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        try:
            check_date(day)
        except DomainError as error:
            raise ValidationError(error.message) from None
        return day


class DiaryContentMixin:
    """A form whose text and quick-fill items (``build_items``) are checked as the services
    check them (``check_content``), so a mistake shows beside the form, not as an error page."""

    cleaned_data: dict

    def build_items(self, data) -> dict:
        raise NotImplementedError

    def clean(self):
        super().clean()  # type: ignore[misc]
        data = self.cleaned_data
        items = self.build_items(data)
        if self.errors:  # type: ignore[attr-defined]
            return data
        try:
            data["text"], data["items"] = check_content(data.get("text", ""), items)
        except DomainError as error:
            raise ValidationError(error.message) from None
        return data


class EntryForm(DiaryContentMixin, DiaryDateMixin, forms.Form):
    """A staff entry: free text plus quick-fill day items (each part optional, not all)."""

    date = forms.DateField(label=_("Day"), widget=DateInput())
    text = _text_field()
    meal_moment = _meal_moment_field()
    meal_amount = forms.ChoiceField(
        label=_("How much"),
        choices=day_items.MEAL_AMOUNTS,
        required=False,
        widget=forms.RadioSelect,
        initial="all",
    )
    meal_what = forms.CharField(
        label=_("What (optional)"), required=False, max_length=day_items.WHAT_MAX
    )
    sleep_start = forms.TimeField(label=_("Fell asleep"), required=False, widget=TimeInput())
    sleep_end = forms.TimeField(label=_("Woke up"), required=False, widget=TimeInput())
    nappy_kind = forms.ChoiceField(
        label=_("What it was"),  # inside the "Nappy or toilet" fieldset
        choices=day_items.NAPPY_KINDS,
        required=False,
        widget=forms.RadioSelect,
    )
    nappy_time = forms.TimeField(label=_("At"), required=False, widget=TimeInput())
    mood = forms.ChoiceField(
        label=_("Mood"), choices=day_items.MOODS, required=False, widget=forms.RadioSelect
    )
    activities = _activities_field()

    def __init__(self, *args, with_date=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_date:
            del self.fields["date"]
        else:
            self.fields["date"].initial = timezone.localdate()
        self.fields["nappy_time"].initial = _now_hhmm()

    def build_items(self, data) -> dict:
        items: dict = {}
        if data.get("meal_moment"):
            items["meals"] = [
                {
                    "moment": data["meal_moment"],
                    "amount": data.get("meal_amount") or "all",
                    "what": data.get("meal_what", ""),
                }
            ]
        start, end = data.get("sleep_start"), data.get("sleep_end")
        if start or end:
            if not (start and end):
                self.add_error(
                    "sleep_end" if start else "sleep_start",
                    _("Fill in both when the child fell asleep and woke up."),
                )
            elif end <= start:
                self.add_error("sleep_end", _("The end of the sleep must be after its start."))
            else:
                items["sleep"] = [{"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}]
        if data.get("nappy_kind"):
            if not data.get("nappy_time"):
                self.add_error("nappy_time", _("Fill in the time of the nappy change."))
            else:
                items["nappies"] = [
                    {"kind": data["nappy_kind"], "time": data["nappy_time"].strftime("%H:%M")}
                ]
        if data.get("mood"):
            items["mood"] = data["mood"]
        if data.get("activities"):
            items["activities"] = list(data["activities"])
        return items

    @classmethod
    def initial_for(cls, entry) -> dict:
        items = entry.items or {}
        initial = {
            "text": entry.text,
            "mood": items.get("mood", ""),
            "activities": items.get("activities", []),
        }
        if items.get("meals"):
            meal = items["meals"][0]
            initial.update(
                meal_moment=meal["moment"],
                meal_amount=meal["amount"],
                meal_what=meal.get("what", ""),
            )
        if items.get("sleep"):
            initial.update(
                sleep_start=items["sleep"][0]["start"], sleep_end=items["sleep"][0]["end"]
            )
        if items.get("nappies"):
            initial.update(
                nappy_kind=items["nappies"][0]["kind"], nappy_time=items["nappies"][0]["time"]
            )
        return initial


class ParentNoteForm(forms.Form):
    text = _text_field(required=True, label=_("Note for the staff"))

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text:
            raise ValidationError(_("Write a note first."))
        return text


class SharedNoteForm(DiaryContentMixin, DiaryDateMixin, forms.Form):
    """One note for several children of a group (an outing, an activity)."""

    date = forms.DateField(label=_("Day"), widget=DateInput())
    children: "forms.ModelMultipleChoiceField[Child]" = forms.ModelMultipleChoiceField(
        label=_("Children"),
        queryset=None,
        to_field_name="code",  # random codes in forms as in URLs, never primary keys
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one child.")},
    )
    text = _text_field(required=True)
    activities = _activities_field()

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        # django-stubs type Form.fields as dict[str, Field], not this field's class.
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()

    def build_items(self, data) -> dict:
        return {"activities": list(data.get("activities") or [])}


class GroupGridForm(DiaryDateMixin, forms.Form):
    """Meals and sleep for the children of a group at once (issue 17): one meal moment, then
    per child how much was eaten and when they slept. "For everyone" values fill the rows of
    the included children left empty (the page's script copies them into the rows at once)."""

    date = forms.DateField(label=_("Day"), widget=DateInput())
    meal_moment = _meal_moment_field()
    all_amount = forms.ChoiceField(
        label=_("How much, for everyone"),
        choices=day_items.MEAL_AMOUNTS,
        required=False,
        widget=forms.RadioSelect,
    )
    all_sleep_start = forms.TimeField(
        label=_("Fell asleep, everyone"), required=False, widget=TimeInput()
    )
    all_sleep_end = forms.TimeField(
        label=_("Woke up, everyone"), required=False, widget=TimeInput()
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.children = list(children)
        self.rows: list = []
        for child in self.children:
            name = child.first_name
            self.fields[f"include-{child.code}"] = forms.BooleanField(
                label=_("Include %(name)s") % {"name": name}, required=False, initial=True
            )
            self.fields[f"amount-{child.code}"] = forms.ChoiceField(
                label=_("How much did %(name)s eat") % {"name": name},
                choices=day_items.MEAL_AMOUNTS,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"sleep_start-{child.code}"] = forms.TimeField(
                label=_("%(name)s fell asleep") % {"name": name},
                required=False,
                widget=TimeInput(),
            )
            self.fields[f"sleep_end-{child.code}"] = forms.TimeField(
                label=_("%(name)s woke up") % {"name": name}, required=False, widget=TimeInput()
            )

    def child_rows(self):
        """Per child: the child and its bound fields, for the template."""
        return [
            {
                "child": child,
                "include": self[f"include-{child.code}"],
                "amount": self[f"amount-{child.code}"],
                "sleep_start": self[f"sleep_start-{child.code}"],
                "sleep_end": self[f"sleep_end-{child.code}"],
            }
            for child in self.children
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        moment = data.get("meal_moment")
        self.rows = []
        for child in self.children:
            if not data.get(f"include-{child.code}"):
                continue
            items: dict = {}
            meals = self._child_meals(data, child, moment)
            if meals:
                items["meals"] = meals
            sleep = self._child_sleep(data, child)
            if sleep:
                items["sleep"] = sleep
            if items:
                self.rows.append((child, items))
        if not self.errors and not self.rows:
            raise ValidationError(_("Fill in a meal or sleep for at least one child."))
        return data

    def _child_meals(self, data, child, moment) -> list:
        """The meal of ``child`` (its own amount, or the one for all), once a moment is chosen."""
        amount = data.get(f"amount-{child.code}") or data.get("all_amount")
        if not amount:
            return []
        if not moment:
            if "meal_moment" not in self.errors:
                self.add_error("meal_moment", _("Choose which meal first."))
            return []
        return [{"moment": moment, "amount": amount, "what": ""}]

    def _child_sleep(self, data, child) -> list:
        """The sleep of ``child`` (its own times, or the ones for all), when both are valid."""
        start = data.get(f"sleep_start-{child.code}") or data.get("all_sleep_start")
        end = data.get(f"sleep_end-{child.code}") or data.get("all_sleep_end")
        if not (start or end):
            return []
        if not (start and end):
            field = f"sleep_end-{child.code}" if start else f"sleep_start-{child.code}"
            self.add_error(field, _("Fill in both when the child fell asleep and woke up."))
            return []
        if end <= start:
            self.add_error(
                f"sleep_end-{child.code}", _("The end of the sleep must be after its start.")
            )
            return []
        return [{"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}]
