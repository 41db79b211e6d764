"""The diary's part of the retention schedule (retention/contract.py, R16-R21)."""

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from consent.models import Purpose
from consent.selectors import children_with_consent
from core.private_apis import delete_rows
from daycare.access import is_customer_service
from diary import selectors
from diary.models import DiaryDay, DiaryEntry


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    """Delete every diary day and entry of these children in bulk (the diary stores no files).
    Idempotent: a second run finds nothing and returns zero counts."""
    entries, _kinds = DiaryEntry.objects.filter(day__child_id__in=child_ids).delete()
    # The entries are gone: one DELETE, without the collector loading every day first.
    doomed_days = DiaryDay.objects.filter(child_id__in=child_ids)
    days = delete_rows(doomed_days)
    return {"diary days": days, "diary entries": entries}


def _print_css():
    path = finders.find("diary/print.css")
    with open(path, encoding="utf-8") as handle:  # type: ignore[arg-type]  # our own file
        return mark_safe(handle.read())  # noqa: S308  # nosec B308 B703 - our own static CSS file


def _exportable_days(child, user):
    """Diary days of ``child`` for an export by ``user``, always under diary consent (R2).
    A guardian exports through the normal access rule; customer service answers access
    requests (R20-R21), also for a child already archived, so only consent limits them."""
    consented = children_with_consent(Purpose.DIARY).filter(pk=child.pk)
    if is_customer_service(user):
        days = DiaryDay.objects.filter(child__in=consented.values("pk"))
    else:
        days = DiaryDay.objects.visible_to(user).filter(child=child)
    return days.prefetch_related(
        Prefetch("entries", queryset=DiaryEntry.objects.select_related("author"))
    ).order_by("date")


def exportable_days(child, user):
    """The diary days an export by ``user`` holds (the memories index of the photos app)."""
    return _exportable_days(child, user)


def export_child(*, child, user, writer) -> None:
    """The diary as JSON and as the print view (HTML), limited to what ``user`` may see:
    nothing while diary consent does not hold (R2)."""
    views = [selectors.day_view(day) for day in _exportable_days(child, user)]
    if not views:
        return
    writer.add_json(
        "diary/diary.json",
        [
            {
                "date": view.day.date.isoformat(),
                "entries": [
                    {
                        "kind": entry.kind,
                        "author": entry.author.get_full_name() if entry.author else "",
                        "written_at": entry.created_at.isoformat(),
                        "edited_at": entry.edited_at.isoformat() if entry.edited_at else None,
                        "text": entry.text,
                        "items": entry.items,
                    }
                    for entry in view.entries
                ],
            }
            for view in views
        ],
    )
    html = render_to_string(
        "diary/print_document.html",
        {
            "child": child,
            "start": views[0].day.date,
            "end": views[-1].day.date,
            "days": views,
            # The file in the archive must read well offline: the stylesheet goes inside.
            "inline_css": _print_css(),
        },
    )
    writer.add_bytes("diary/diary.html", html.encode())


def export_person(*, person, children) -> dict:
    """R21: the notes the person wrote on their children's diary days."""
    notes = (
        DiaryEntry.objects.filter(author=person, kind=DiaryEntry.Kind.PARENT)
        .select_related("day")
        .order_by("day__date", "created_at", "pk")
    )
    return {
        "diary_notes": [
            {
                "child": children.get(note.day.child_id),
                "date": note.day.date,
                "written_at": note.created_at,
                "text": note.text,
                "edited_at": note.edited_at,
                "read_by_staff_at": note.read_at,
            }
            for note in notes
        ]
    }


def erase_entries(*, child_id: int, entry_ids: list[int]) -> dict[str, int]:
    """Partial erasure on request (R20): delete these diary entries of ``child_id`` (the diary
    stores no files). A day left without entries stays: it holds no text of its own.
    Idempotent: entries already gone are not counted."""
    removed, _kinds = DiaryEntry.objects.filter(day__child_id=child_id, pk__in=entry_ids).delete()
    return {"diary entries": removed}
