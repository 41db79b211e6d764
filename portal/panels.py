"""Places on shared pages where feature apps show their part, without editing those pages.

An app lists its panels on its AppConfig::

    class DiaryConfig(AppConfig):
        panels = {"staff_home": "diary.panels.staff_home"}

Each panel is a function ``(request, **context) -> str | None`` returning rendered HTML (or
None to show nothing): a safe string from ``render_to_string`` or ``format_html``; a plain
``str`` is escaped, never trusted as markup. Slots and their context:

- ``parent_home`` (children): no longer shown: Vandaag, the parent home, composes its page
  itself (daycare/today_views.py, issue 17);
- ``child_card`` (child, children): links under each child on the parent home and child page;
  must not query per child (use what ``children`` lets you fetch once, or plain links);
- ``staff_home`` (groups, scope): the staff home, above the groups;
- ``staff_child`` (child): the staff page of one child;
- ``nav`` (): items in the main navigation (``<li>`` elements);
- ``banner`` (): banners under the header on every page of a logged-in person.
Panels run in INSTALLED_APPS order.
"""

from django.apps import apps
from django.utils.html import conditional_escape
from django.utils.module_loading import import_string

_cache: dict[str, list] = {}


def _providers(slot: str) -> list:
    if slot not in _cache:
        found = []
        for config in apps.get_app_configs():
            path = getattr(config, "panels", {}).get(slot)
            if path:
                found.append(import_string(path))
        _cache[slot] = found
    return _cache[slot]


def render_panels(request, slot: str, **context) -> list[str]:
    out: list[str] = []
    for provider in _providers(slot):
        html = provider(request, **context)
        if html:
            # Templates and format_html return safe strings; anything else is text.
            out.append(conditional_escape(html))
    return out
