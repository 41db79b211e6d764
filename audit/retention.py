"""The access log's part of the retention schedule (retention/contract.py, R16-R21).

Access events are deleted with the child (the foreign key cascades); ``destroy_children``
does it explicitly so the count shows in the DestructionRecord. In an export the child's
parents get who on the staff accessed the child's data (R24, the right of access).
"""

from django.db.models import Q
from django.utils import timezone

from audit.models import AccessEvent, AccessRole


def destroy_children(child_ids: list[int]) -> dict[str, int]:
    removed, _by_model = AccessEvent.objects.filter(child_id__in=list(child_ids)).delete()
    return {"access log entries": removed}


def export_child(*, child, user, writer) -> None:
    events = (
        AccessEvent.objects.filter(child=child)
        .exclude(role=AccessRole.GUARDIAN)
        .select_related("user")
        .order_by("at", "pk")
    )
    writer.add_json(
        "access-log.json",
        [
            {
                "at": timezone.localtime(event.at).isoformat(),
                "who": (event.user.get_full_name() if event.user else "") or None,
                "role": event.role,
                "what": event.kind,
            }
            for event in events.iterator()
        ],
    )


def export_person(*, person, children) -> dict:
    """R21: the access log of the person's own children: who on the staff read or exported
    their data, and the person's own exports. Another guardian's own reads are theirs, not
    this person's, and are left out (as in the child's export)."""
    events = (
        AccessEvent.objects.filter(child_id__in=list(children))
        .filter(~Q(role=AccessRole.GUARDIAN) | Q(user=person))
        .select_related("user")
        .order_by("at", "pk")
    )
    return {
        "access_log": [
            {
                "child": children[event.child_id],
                "at": event.at,
                "who": (event.user.get_full_name() if event.user else "") or None,
                "role": event.role,
                "role_label": str(event.get_role_display()),
                "what": event.kind,
                "what_label": str(event.get_kind_display()),
            }
            for event in events.iterator()
        ]
    }
