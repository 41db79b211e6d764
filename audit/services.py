"""Writing the access log (R24), off the critical path.

A page that reads a child's diary or photos calls :func:`access_log`. It costs the request no
database write: a cache look-up drops repeats within the same minute (a gallery of 48
thumbnails is one event), and what is new goes to :func:`record_access_task` after the
transaction commits. The task writes with ``ignore_conflicts`` on the once-per-minute unique
constraint, so a race between two workers or a retried task still gives one row.

An outage does not lose an event, nor fail the read (R24: every staff read is recorded). With
Redis down the cache falls back to the process's own memory (``portal/cache.py``), so repeats
are dropped per process and the unique constraint drops the rest; with the broker down the task
is kept in the outbox and sent once the broker is back (``outbox/services.py``).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import STAFF_READS, AccessEvent, AccessKind, AccessRole
from daycare.access import staff_scope
from daycare.models import Child
from outbox.services import enqueue

if TYPE_CHECKING:
    from accounts.models import User
    from daycare.models import Child

DEDUP_SECONDS = 90  # a little over a minute, so a clock edge cannot make a second row


def role_of(user: "User") -> str:
    """The role snapshot stored with an event: the widest staff role the user has."""
    scope = staff_scope(user)
    if AccessRole.CUSTOMER_SERVICE in scope.roles:
        return AccessRole.CUSTOMER_SERVICE
    if AccessRole.LOCATION_MANAGER in scope.roles:
        return AccessRole.LOCATION_MANAGER
    if AccessRole.GROUP_WORKER in scope.roles:
        return AccessRole.GROUP_WORKER
    if user.is_superuser:
        return AccessRole.ADMINISTRATOR
    return AccessRole.GUARDIAN


def access_log(
    *,
    user: "User",
    kind: AccessKind | str,
    child: "Child | None" = None,
    child_ids: Iterable[int] = (),
) -> None:
    """Record that ``user`` accessed ``child`` (or the children ``child_ids``) in this way.

    Staff reads (diary, photos) are logged only for staff members: a guardian who is not
    staff reading their own child's data is not logged. Exports and archive access
    (``export_created``, ``export_downloaded``, ``archive_opened``) are logged for everyone.
    Nothing about the content is passed in or stored.
    """
    kind = AccessKind(kind)
    if not user.is_authenticated:
        return
    ids = sorted({*child_ids, *([child.pk] if child is not None else [])})
    if not ids:
        return
    role = role_of(user)
    if kind in STAFF_READS and role == AccessRole.GUARDIAN:
        return
    minute = timezone.now().replace(second=0, microsecond=0)
    keys = {f"audit:{user.pk}:{kind}:{child_id}:{minute:%Y%m%d%H%M}": child_id for child_id in ids}
    seen = cache.get_many(list(keys))
    new = {key: child_id for key, child_id in keys.items() if key not in seen}
    if not new:
        return
    cache.set_many(dict.fromkeys(new, 1), timeout=DEDUP_SECONDS)
    # Here, not at the top: audit.tasks imports this module (an import cycle).
    from audit.tasks import record_access_task

    args = (user.pk, role, str(kind), sorted(new.values()), minute.isoformat())
    enqueue(record_access_task, *args)


def access_events_record(
    *, user_id: int, role: str, kind: str, child_ids: list[int], at: datetime
) -> int:
    """Write the events (one per child) in one statement; repeats within the minute are
    ignored. A child destroyed between the read and this write is skipped. Returns the number
    of children written for."""

    def write(ids: list[int]) -> int:
        with transaction.atomic():
            AccessEvent.objects.bulk_create(
                [
                    AccessEvent(user_id=user_id, role=role, kind=kind, child_id=child_id, at=at)
                    for child_id in ids
                ],
                ignore_conflicts=True,
            )
        return len(ids)

    try:
        return write(child_ids)
    except IntegrityError:  # a child (or the user) is gone: the rare path costs a look-up
        if not User.objects.filter(pk=user_id).exists():
            user_id = None  # type: ignore[assignment]  # the user is gone: events keep none
        return write(list(Child.objects.filter(pk__in=child_ids).values_list("pk", flat=True)))


def access_event_record_now(*, user: "User", kind: AccessKind | str, child: "Child") -> None:
    """Record a change of who may see ``child`` (R24, R27) in the caller's transaction: these
    are rare, and the change and its record must stand or fall together. Not truncated to the
    minute, so two changes within a minute stay two rows."""
    AccessEvent.objects.create(
        user=user, role=role_of(user), kind=AccessKind(kind), child=child, at=timezone.now()
    )
