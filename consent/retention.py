"""Retention of the consent app (retention/contract.py, R18, R21).

Consent decisions about a destroyed child go with the child. Decisions stay append-only in
every other respect: this is the only code path that removes them, through the one named way
out of the guard on the model (``ConsentDecision.objects.destroy_for_retention``).
"""

from django.template.loader import render_to_string

from consent.models import ConsentDecision, StatementAcceptance
from daycare.services import guardian_label


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    deleted = ConsentDecision.objects.destroy_for_retention(child_ids=child_ids)
    return {"consent decisions": deleted}


def erase_accounts(user_ids: list[int]) -> None:
    """An erased guardian's acceptances of the privacy statement go with the account (R18);
    their consent decisions stay while a child they are about exists (they decide the child's
    consent) and go with that child."""
    StatementAcceptance.objects.filter(user_id__in=user_ids).delete()


def export_child(*, child, user, writer) -> None:
    """The full consent history of the child: every decision of every guardian (R6)."""
    rows = list(
        ConsentDecision.objects.filter(child=child)
        .select_related("decided_by", "recorded_by", "statement")
        .order_by("decided_at", "pk")
    )
    for row in rows:
        # Another guardian is named, never shown by e-mail address (R27).
        row.decided_by_label = guardian_label(row.decided_by)  # type: ignore[attr-defined]
        row.recorded_by_label = guardian_label(row.recorded_by)  # type: ignore[attr-defined]
    history = [
        {
            "purpose": row.purpose,
            "given": row.given,
            "decided_by": row.decided_by_label,  # type: ignore[attr-defined]
            "recorded_by": row.recorded_by_label,  # type: ignore[attr-defined]
            "channel": row.channel,
            "privacy_statement_version": row.statement.version,
            "decided_at": row.decided_at.isoformat(),
        }
        for row in rows
    ]
    writer.add_json("consent/history.json", history)
    writer.add_pdf(
        "consent/history.pdf",
        render_to_string("retention/export/consent.html", {"child": child, "rows": rows}),
    )


def export_person(*, person, children) -> dict:
    """R21: the privacy statements the person accepted and the consent decisions they made,
    each with the statement version it was made under. A decision about a child who is not
    (or no longer) the person's own names no child."""

    acceptances = (
        StatementAcceptance.objects.filter(user=person)
        .select_related("statement")
        .order_by("accepted_at", "pk")
    )
    decisions = (
        ConsentDecision.objects.filter(decided_by=person)
        .select_related("statement")
        .order_by("decided_at", "pk")
    )
    return {
        "privacy_statements_accepted": [
            {"version": row.statement.version, "accepted_at": row.accepted_at}
            for row in acceptances
        ],
        "consent_decisions": [
            {
                "child": children.get(row.child_id),
                "purpose": row.purpose,
                "purpose_label": str(row.get_purpose_display()),
                "given": row.given,
                "channel": row.channel,
                "channel_label": str(row.get_channel_display()),
                "privacy_statement_version": row.statement.version,
                "decided_at": row.decided_at,
            }
            for row in decisions
        ],
    }
