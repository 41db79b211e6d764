"""Absence reports are child data: destroyed and exported with the child (R16-R21)."""

from absences.models import Absence


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    # No signals and no dependent rows: Django deletes these in one bulk query.
    count, _ = Absence.objects.filter(child_id__in=child_ids).delete()
    return {"absence reports": count}


def export_child(*, child, user, writer) -> None:
    rows = Absence.objects.filter(child=child).order_by("start_date")
    writer.add_json(
        "absences.json",
        [
            {
                "first_day": row.start_date.isoformat(),
                "last_day": row.end_date.isoformat(),
                "reason": row.reason,
                "note": row.note,
                "channel": row.channel,
                "reported_at": row.created_at.isoformat(),
                "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
            }
            for row in rows
        ],
    )


def export_person(*, person, children) -> dict:
    """R21: the absences the person reported."""
    rows = Absence.objects.filter(reported_by=person).order_by("start_date", "pk")
    return {
        "absences": [
            {
                "child": children.get(row.child_id),
                "first_day": row.start_date,
                "last_day": row.end_date,
                "reason": row.reason,
                "reason_label": str(row.get_reason_display()),
                "note": row.note,
                "channel": row.channel,
                "channel_label": str(row.get_channel_display()),
                "reported_at": row.created_at,
                "withdrawn_at": row.withdrawn_at,
            }
            for row in rows
        ]
    }
