from celery import shared_task
from django.utils.dateparse import parse_datetime

from audit.services import access_events_record


@shared_task(ignore_result=True)
def record_access_task(user_id: int, role: str, kind: str, child_ids: list[int], at: str):
    """Write access events queued by ``audit.services.access_log`` (JSON arguments only)."""
    access_events_record(
        user_id=user_id,
        role=role,
        kind=kind,
        child_ids=child_ids,
        at=parse_datetime(at),  # type: ignore[arg-type]  # always ISO
    )
