"""Display names as people type them, made safe to show to others (issue 19, finding 11;
ASVS 2.2.1).

A name is normalised to Unicode NFKC (full-width and compatibility forms become their plain
letters) with runs of spaces made one; a name that then still contains a control, format
(zero-width characters, right-to-left overrides and other direction marks), private-use,
unassigned or line-separator character is refused with a message, because staff would read a
name different from what it says.
"""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")


def clean_display_name(value: str) -> str:
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()
    if any(unicodedata.category(char) in REFUSED_CATEGORIES for char in name):
        raise forms.ValidationError(
            _(
                "This name contains invisible or control characters (such as a change of "
                "writing direction). Type the name again without them."
            ),
            code="invisible_characters",
        )
    return name


class DisplayNameField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return clean_display_name(value) if value else value
