"""``{% icon "name" %}``: an icon from the vendored Lucide sprite (static/icons/sprite.svg,
rebuilt by bin/icon-sprite). Decorative by default (``aria-hidden``): the text next to it
names the thing. Loaded as a template builtin (settings.TEMPLATES)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = ""):
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        static("icons/sprite.svg"),
        name,
    )
