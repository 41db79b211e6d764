"""The staff's tagging form: who is in each photo on the page (R5)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PhotoTagsForm(forms.Form):
    """The tags of the photos on one tagging page: a field ``tags-<photo code>`` per photo, with
    the codes of the group's children as choices, and ``photo`` listing the photos the form showed
    (a photo whose checkboxes are all cleared sends no ``tags-`` value).

    A posted photo that is not on the page, or a child code that is not of the group, is an error;
    the other photos are still saved (``photo_tags``). Whether a child may be tagged (photo
    consent) is the service's rule, not the form's."""

    def __init__(self, data=None, *, photos, children):
        super().__init__(data)
        self.photos = {photo.code: photo for photo in photos}
        self.children = {child.code: child for child in children}
        choices = [(code, code) for code in self.children]
        for code in self.photos:
            self.fields[f"tags-{code}"] = forms.MultipleChoiceField(
                required=False,
                choices=choices,
                error_messages={
                    "invalid_choice": _("Only children of this photo's group can be tagged.")
                },
            )

    def clean(self):
        posted = self.data.getlist("photo")  # type: ignore[attr-defined]  # a QueryDict
        if any(code not in self.photos for code in posted):
            self.add_error(None, _("A photo on this page is no longer available."))
        self.posted = [code for code in dict.fromkeys(posted) if code in self.photos]
        return self.cleaned_data

    def photo_tags(self) -> list[tuple]:
        """Each posted photo whose field is valid, with the children to tag in it."""
        return [
            (
                self.photos[code],
                [self.children[child] for child in self.cleaned_data[f"tags-{code}"]],
            )
            for code in self.posted
            if f"tags-{code}" in self.cleaned_data
        ]

    def problems(self) -> list[str]:
        """The errors to show, each once."""
        return list(
            dict.fromkeys(str(error) for errors in self.errors.values() for error in errors)
        )
