"""Dates in Dutch everywhere (R25): "4 dec", not "4 Dec".

Django's ``M`` format capitalises the abbreviated month in every language; Dutch writes months
in lower case. This library is a template builtin (``TEMPLATES`` in settings) and replaces the
``date`` filter: in Dutch an ``M`` becomes ``b`` (the lower-case abbreviation); English keeps
"4 Dec". Everything else is Django's own filter.
"""

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation

register = template.Library()


def dutch_format(format_string: str) -> str:
    out, escaped = [], False
    for char in format_string:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        else:
            out.append("b" if char == "M" else char)
    return "".join(out)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if arg and (translation.get_language() or "nl").startswith("nl"):
        arg = dutch_format(arg)
    return django_date(value, arg)
