from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def plain_text(value: str) -> str:
    """Show a message as the plain text it is: escaped, paragraphs kept, links clickable
    (nofollow, noopener). HTML or script typed into a message appears as text."""
    html = urlize(value or "", nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', 'rel="nofollow noopener noreferrer"')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308  # nosec B308 B703 - urlize escaped it
