"""Writes of the diary (R9). Every write re-checks diary consent in SQL (the inner wall, R2)."""

from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import Purpose
from consent.selectors import ConsentState, children_with_consent, consent_states
from core.errors import DomainError
from core.ids import new_code
from daycare.access import is_guardian, staff_scope
from daycare.models import Child
from diary.items import clean_items
from diary.models import DiaryDay, DiaryEntry
from push.services import push_announce

if TYPE_CHECKING:
    from accounts.models import User

TEXT_MAX = 4000
# Staff may fill in a day they missed, but not rewrite history: a week back at most.
PAST_DAYS = 7


def check_date(day: Date) -> None:
    today = timezone.localdate()
    if day > today:
        raise DomainError(_("A diary day cannot be in the future."))
    if day < today - timedelta(days=PAST_DAYS):
        raise DomainError(
            _("You can write about the last %(days)s days only.") % {"days": PAST_DAYS}
        )


def check_content(text: str, items: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise DomainError(
            _("Keep the text to at most %(max)s characters (it has %(n)s).")
            % {"max": TEXT_MAX, "n": len(text)}
        )
    items = clean_items(items or {})
    if not text and not items:
        raise DomainError(_("Write a text or fill in at least one day item."))
    return text, items


def _has_diary_consent(child: Child) -> bool:
    return children_with_consent(Purpose.DIARY).filter(pk=child.pk).exists()


def _refuse_without_consent(child: Child) -> None:
    if not _has_diary_consent(child):
        raise DomainError(
            _("%(name)s has no diary consent: nothing can be written in the diary.")
            % {"name": child.first_name}
        )


def _day_for(child: Child, day: Date) -> DiaryDay:
    found, _created = DiaryDay.objects.get_or_create(child=child, date=day)
    return found


@transaction.atomic
def diary_entry_write(
    *,
    author: "User",
    child: Child,
    date: Date,
    text: str,
    items: dict[str, Any] | None = None,
    kind: str = DiaryEntry.Kind.STAFF,
) -> DiaryEntry:
    """Add an entry to the child's diary day (created on first use)."""
    text, items = check_content(text, items or {})
    check_date(date)
    if kind == DiaryEntry.Kind.PARENT:
        if not is_guardian(author, child):
            raise DomainError(_("Only a parent of this child can add a note."))
        if items:
            raise DomainError(_("Parents add a text note only."))
    _refuse_without_consent(child)
    entry = DiaryEntry.objects.create(
        day=_day_for(child, date), kind=kind, author=author, text=text, items=items
    )
    if kind == DiaryEntry.Kind.STAFF:
        _announce(child_ids=[child.pk], date=date)
    return entry


def _announce(*, child_ids: list[int], date: Date) -> None:
    """One push per child and diary day to the parents who want it (push app)."""

    push_announce(kind="diary", key=f"diary:{date}", child_ids=child_ids, ref=str(date))


@dataclass
class SharedNoteResult:
    entries: list[DiaryEntry]
    excluded: list[tuple[Child, ConsentState]]


def split_by_consent(children: list[Child]) -> tuple[list[Child], list[tuple[Child, ConsentState]]]:
    """Children a shared note may land with, and the excluded ones with the reason (R2)."""
    states = consent_states(children)
    included: list[Child] = []
    excluded: list[tuple[Child, ConsentState]] = []
    for child in children:
        state = states[child.pk][Purpose.DIARY]
        if state == ConsentState.GIVEN:
            included.append(child)
        else:
            excluded.append((child, state))
    return included, excluded


@transaction.atomic
def diary_shared_note_write(
    *,
    author: "User",
    children: list[Child],
    date: Date,
    text: str,
    items: dict[str, Any] | None = None,
) -> SharedNoteResult:
    """One note for several children (an outing): it lands with every child whose diary
    consent holds at the moment of saving; the others are reported as excluded."""
    if len(children) < 1:
        raise DomainError(_("Choose at least one child."))
    text, items = check_content(text, items or {})
    check_date(date)
    included, excluded = split_by_consent(children)
    if not included:
        raise DomainError(_("None of the chosen children has diary consent; nothing was saved."))
    shared = new_code() if len(included) > 1 else ""
    entries = [
        DiaryEntry.objects.create(
            day=_day_for(child, date),
            kind=DiaryEntry.Kind.STAFF,
            author=author,
            text=text,
            items=items,
            shared_code=shared,
        )
        for child in included
    ]
    _announce(child_ids=[child.pk for child in included], date=date)
    return SharedNoteResult(entries=entries, excluded=excluded)


@transaction.atomic
def diary_group_write(
    *, author: "User", date: Date, rows: list[tuple[Child, dict[str, Any]]]
) -> SharedNoteResult:
    """Meals and sleep for several children at once (the group grid, issue 17): one entry per
    child with that child's own items. Like the shared note, it lands only with the children
    whose diary consent holds at the moment of saving (R2); the others are reported as excluded
    and get nothing."""
    check_date(date)
    if not rows:
        raise DomainError(_("Fill in a meal or sleep for at least one child."))
    cleaned = {child.pk: check_content("", items)[1] for child, items in rows}
    included, excluded = split_by_consent([child for child, _items in rows])
    if not included:
        raise DomainError(_("None of the chosen children has diary consent; nothing was saved."))
    entries = [
        DiaryEntry.objects.create(
            day=_day_for(child, date),
            kind=DiaryEntry.Kind.STAFF,
            author=author,
            text="",
            items=cleaned[child.pk],
        )
        for child in included
    ]
    return SharedNoteResult(entries=entries, excluded=excluded)


def can_edit(entry: DiaryEntry, user: "User") -> bool:
    """Authors correct their own entries on the day they wrote them (Europe/Amsterdam)."""
    return (
        entry.author_id == user.pk and timezone.localdate(entry.created_at) == timezone.localdate()
    )


def can_remove(entry: DiaryEntry, user: "User") -> bool:
    """Authors on the same day; location managers any entry of their location."""
    if can_edit(entry, user):
        return True
    return entry.day.child.group.location_id in staff_scope(user).location_ids


@transaction.atomic
def diary_entry_edit(
    *, entry: DiaryEntry, editor: "User", text: str, items: dict[str, Any] | None = None
) -> DiaryEntry:
    if not can_edit(entry, editor):
        raise DomainError(_("Only the author can correct an entry, on the day it was written."))
    text, items = check_content(text, items or {})
    if entry.kind == DiaryEntry.Kind.PARENT and items:
        raise DomainError(_("Parents add a text note only."))
    _refuse_without_consent(entry.day.child)
    entry.text, entry.items, entry.edited_at = text, items, timezone.now()
    entry.save(update_fields=["text", "items", "edited_at"])
    return entry


@transaction.atomic
def diary_entry_remove(*, entry: DiaryEntry, user: "User") -> None:
    if not can_remove(entry, user):
        raise DomainError(
            _(
                "Only the author (on the day it was written) or the location manager "
                "can remove this entry."
            )
        )
    day = entry.day
    entry.delete()
    if not day.entries.exists():
        day.delete()


@transaction.atomic
def diary_parent_note_mark_read(*, entry: DiaryEntry, user: "User") -> None:
    if entry.kind != DiaryEntry.Kind.PARENT:
        raise DomainError(_("Only notes from parents are marked as read."))
    if entry.read_at is None:
        entry.read_at, entry.read_by = timezone.now(), user
        entry.save(update_fields=["read_at", "read_by"])
