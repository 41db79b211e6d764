"""Texts of the consent pages: the statement renderer and the sentences that tell a guardian the
real state of each choice and why (issue 14).

The statement text is plain text with a little structure ("markdown-lite"), never HTML.

- a line starting with ``## `` (or ``# ``) is a heading;
- lines starting with ``- `` form a list;
- other blocks, separated by blank lines, are paragraphs.
Everything is escaped: an administrator cannot put markup or scripts on the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consent.models import Purpose
from consent.selectors import latest_decisions, rule_holds


def render_statement(text: str):
    html = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            html.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            html.append(f"<h2>{escape(line.lstrip('#').strip())}</h2>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308  # nosec B308 B703 - each piece escaped above


@dataclass(frozen=True)
class Explained:
    """The real consent state of one child and purpose, and why, for one guardian (R4)."""

    state: str  # ConsentState value
    own: bool | None
    others_yes: bool
    others_no: bool
    text: str


def _sentence(purpose: str, name: str, *, own, others_yes: bool, others_no: bool) -> str:
    """One sentence that says what is on or off and why, and what this guardian's choice does
    (issue 14: an undecided co-parent was told "closed until you choose" while it was open)."""
    photos = purpose == Purpose.PHOTOS
    n = {"name": name}
    if own is None and not others_yes and not others_no:
        return (
            _("Photos of %(name)s are off: nobody has chosen yet. If you say yes, they go on.")
            if photos
            else _("The diary of %(name)s is off: nobody has chosen yet. If you say yes, it opens.")
        ) % n
    if own is None and others_no:
        return (
            _(
                "Photos of %(name)s are off: another guardian said no. Even if you say yes, "
                "they stay off while that no stands."
            )
            if photos
            else _(
                "The diary of %(name)s is off: another guardian said no. Even if you say yes, "
                "it stays closed while that no stands."
            )
        ) % n
    if own is None:
        return (
            _(
                "Photos of %(name)s are on: another guardian said yes and nobody said no. "
                "If you say no, they go off for everyone."
            )
            if photos
            else _(
                "The diary of %(name)s is open: another guardian said yes and nobody said no. "
                "If you say no, it closes for everyone."
            )
        ) % n
    if own and others_no:
        return (
            _("Photos of %(name)s are off: you said yes, but another guardian said no. A no wins.")
            if photos
            else _(
                "The diary of %(name)s is closed: you said yes, but another guardian said no. "
                "A no wins."
            )
        ) % n
    if own:
        return (
            _(
                "Photos of %(name)s are on: you said yes and nobody said no. If you say no, "
                "they go off for everyone."
            )
            if photos
            else _(
                "The diary of %(name)s is open: you said yes and nobody said no. If you say no, "
                "it closes for everyone."
            )
        ) % n
    if others_no:
        return (
            _(
                "Photos of %(name)s are off: you and another guardian said no. If you say yes, "
                "they stay off while the other no stands."
            )
            if photos
            else _(
                "The diary of %(name)s is closed: you and another guardian said no. If you say "
                "yes, it stays closed while the other no stands."
            )
        ) % n
    return (
        _("Photos of %(name)s are off: you said no. If you say yes, they go on.")
        if photos
        else _("The diary of %(name)s is closed: you said no. If you say yes, it opens.")
    ) % n


def explain_consent(user, children) -> dict[int, dict[str, Explained]]:
    """``{child_id: {purpose: Explained}}`` for this guardian, in one query: each current
    guardian's latest decision, split into this guardian's own and the others'. The state is
    the rule of ``consent.selectors`` applied to the same decisions."""

    children = list(children)
    found: dict[tuple[int, str], list[tuple[int, bool]]] = defaultdict(list)
    rows = latest_decisions().filter(child_id__in=[c.pk for c in children])
    for child_id, purpose, decided_by_id, given in rows.values_list(
        "child_id", "purpose", "decided_by_id", "given"
    ):
        found[(child_id, purpose)].append((decided_by_id, given))
    result: dict[int, dict[str, Explained]] = {}
    for child in children:
        result[child.pk] = {}
        for purpose in Purpose.values:
            decisions = found[(child.pk, purpose)]
            own = next((given for who, given in decisions if who == user.pk), None)
            others = [given for who, given in decisions if who != user.pk]
            others_yes, others_no = True in others, False in others
            result[child.pk][purpose] = Explained(
                state=str(rule_holds(given for _who, given in decisions)),
                own=own,
                others_yes=others_yes,
                others_no=others_no,
                text=_sentence(
                    purpose, child.first_name, own=own, others_yes=others_yes, others_no=others_no
                ),
            )
    return result
