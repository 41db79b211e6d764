"""The daycare app's part of a person's own access export (retention/contract.py, R21).

The person's children and guardianships (with the relation), and the guardian requests they
made. The daycare rows of a child are destroyed by the retention app itself, last; this module
only exports. Another guardian is named by ``guardian_label`` (never an e-mail address), and
a request about a child who is not (or no longer) the person's own names no child.
"""

from daycare.models import Guardianship, GuardianshipRequest
from daycare.services import guardian_label


def export_person(*, person, children) -> dict:
    rows = (
        Guardianship.objects.filter(user=person)
        .select_related("child__group__location")
        .order_by("child__first_name", "pk")
    )
    result = []
    for guardianship in rows:
        child = guardianship.child
        others = (
            Guardianship.objects.filter(child=child)
            .exclude(user=person)
            .select_related("user")
            .order_by("pk")
        )
        result.append(
            {
                "first_name": child.first_name,
                "last_name": child.last_name,
                "date_of_birth": child.date_of_birth,
                "group": child.group.name,
                "location": child.group.location.name,
                "relation": guardianship.relation,
                "relation_label": str(guardianship.get_relation_display()),
                "guardian_since": guardianship.created_at,
                "other_guardians": [guardian_label(g.user) for g in others],
            }
        )
    requests = GuardianshipRequest.objects.filter(requested_by=person).order_by("requested_at")
    return {
        "children": result,
        "guardian_requests": [
            {
                # The address typed for the new guardian is not repeated (R27).
                "child": children.get(item.child_id),
                "relation": item.relation,
                "relation_label": str(item.get_relation_display()),
                "requested_at": item.requested_at,
                "status": item.status,
                "status_label": str(item.get_status_display()),
                "decided_at": item.decided_at,
            }
            for item in requests
        ],
    }
