"""Whose names a person may read (R26): a parent reads the names of their own children only.

Every parent-facing text that would list the children in something shared (a group photo's alt
text or caption, a shared diary note, a thread) is made here: the viewer's own children by
first name, the others counted, never named ("Daan en 2 andere kinderen"). Staff keep the names
(they tag and need to know whom they see).
"""

from collections.abc import Iterable
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daycare.models import Guardianship


class Named(Protocol):
    pk: int
    first_name: str


def join_names(names: list[str]) -> str:
    """'Daan', 'Daan en Eva', 'Daan, Eva en Mila' (translated)."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def children_label(children: Iterable[Named], *, own_ids: Iterable[int] | None) -> str:
    """The children of something shared, as ``own_ids``' holder may read them.

    ``own_ids`` are the ids of the viewer's own children; ``None`` means a staff member, who
    reads every name. The viewer's children come first, by first name; the others are a count.
    """
    children = list(children)
    if own_ids is None:
        return join_names(sorted(child.first_name for child in children))
    own = set(own_ids)
    names = sorted(child.first_name for child in children if child.pk in own)
    others = sum(1 for child in children if child.pk not in own)
    if not others:
        return join_names(names)
    if not names:
        return ngettext("%(count)d child", "%(count)d children", others) % {"count": others}
    counted = ngettext("%(count)d other child", "%(count)d other children", others) % {
        "count": others
    }
    return join_names([*names, counted])


def own_child_ids(user) -> set[int]:
    """The ids of the children this user is a guardian of (one query, kept on the user for the
    rest of the request)."""
    cached = getattr(user, "_own_child_ids", None)
    if cached is None:
        cached = set(Guardianship.objects.filter(user=user).values_list("child_id", flat=True))
        user._own_child_ids = cached
    return cached
