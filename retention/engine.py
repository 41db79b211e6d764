"""The retention schedule at work (R16-R19): archive after 8 weeks, destroy after one year.

``run(today=...)`` does one day's work and is safe to repeat: both steps select what is due from
the database each time, so a second run finds nothing more to do. Destruction works in batches
of ``BATCH_SIZE`` children, one transaction each: the feature apps' rows, the daycare rows, the
guardian accounts left without children and the ``DestructionRecord`` go together, and every
storage key goes into the files app's deletion queue in that same transaction. Files are deleted
after the batches (and by the files worker), and a key is forgotten only once its file is gone.
A crash anywhere therefore leaves either a whole batch or nothing, and queued keys that the next
run deletes: no early deletion, no orphan file, no record pointing to a missing file.
"""

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from consent import projection
from daycare.models import CareContract, Child, GuardianInvitation, Guardianship, StaffAssignment
from files.services import COUNTERS as FILE_COUNTERS
from files.services import files_delete_pending, files_queue_deletion
from retention import modules, schedule

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from django.db.models import QuerySet

    from retention.models import RetentionRun

log = logging.getLogger(__name__)

BATCH_SIZE = 200
# The PostgreSQL advisory lock of the worker that runs retention now (any constant of our own).
RUN_LOCK = 0x52_45_54_4E


@dataclass
class RunReport:
    today: date
    dry_run: bool
    archived: int = 0
    destroyed: int = 0
    accounts_erased: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    exports_expired: int = 0
    files_deleted: int = 0
    files_queued: int = 0
    # A run with a time limit that stopped between batches: the next one carries on (the due
    # children are selected from the database each time, so nothing is done twice).
    unfinished: bool = False


def with_end_dates(queryset: "QuerySet[Any]", today: date) -> "QuerySet[Any]":
    """Annotate ``last_end`` and ``running`` (contracts without an end or ending today or later)."""
    return cast(
        "QuerySet[Any]",
        queryset.annotate(
            last_end=Max("contracts__end_date"),
            running=Count(
                "contracts",
                filter=Q(contracts__end_date__isnull=True) | Q(contracts__end_date__gte=today),
            ),
            n_contracts=Count("contracts"),
        ),
    )


def _ended(today: date) -> "QuerySet[Any]":
    return with_end_dates(Child.objects.all(), today).filter(running=0, n_contracts__gt=0)


def due_for_archive(today: date) -> "QuerySet[Any]":
    """Children to archive today (R17): not archived yet, last contract ended > 8 weeks ago."""
    return _ended(today).filter(
        archived_at__isnull=True, last_end__lte=schedule.latest_end_for_archive(today)
    )


def _destroy_candidates(today: date, after_pk: int, limit: int) -> list[tuple[int, date]]:
    rows = (
        _ended(today)
        .filter(pk__gt=after_pk, last_end__lte=schedule.latest_end_for_destroy(today))
        .order_by("pk")
        .values_list("pk", "last_end")[:limit]
    )
    return list(rows)


def due_for_destroy_ids(
    today: date, *, after_pk: int = 0, limit: int = BATCH_SIZE
) -> tuple[list[int], int | None]:
    """The next ids (after ``after_pk``) whose destruction is due, exact rule applied in Python
    to a superset selected in SQL. Returns (ids, last pk looked at)."""
    rows = _destroy_candidates(today, after_pk, limit)
    if not rows:
        return [], None
    ids = [pk for pk, end in rows if schedule.is_destroy_due(end, today)]
    return ids, rows[-1][0]


def archive(today: date, *, batch_size: int = 1000) -> int:
    """Archive what is due (R17), in bounded batches; returns how many children."""
    due = due_for_archive(today)
    done = 0
    now = timezone.now()
    while ids := list(due.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            done += Child.objects.filter(pk__in=ids, archived_at__isnull=True).update(
                archived_at=now
            )
            # Their photos stop being shared in the same transaction (issue 16).
            projection.children_changed(ids)
    return done


def erase_accounts(user_ids: "Iterable[int]") -> int:
    """Close and erase the accounts of these guardians that have no child left (R18).

    The retention app drops what it holds of them (their exports, the words of their data
    requests); each app in ``modules.ACCOUNT_MODULES`` then erases its part, accounts last
    (the row stays, without personal data). Staff and administrators are never erased here.
    In the caller's transaction, like the rest of a destruction batch.
    """
    from accounts.models import User
    from retention.models import DataRequest, Export

    users = (
        User.objects.filter(pk__in=list(user_ids), is_active=True, is_staff=False)
        .filter(is_superuser=False)
        .exclude(pk__in=Guardianship.objects.values("user_id"))
        .exclude(pk__in=StaffAssignment.objects.values("user_id"))
    )
    ids = list(users.values_list("pk", flat=True))
    if not ids:
        return 0
    exports = Export.objects.filter(Q(requested_by_id__in=ids) | Q(person_id__in=ids))
    files_queue_deletion(keys=exports.exclude(storage_key="").values_list("storage_key", flat=True))
    exports.delete()
    DataRequest.objects.filter(requested_by_id__in=ids).update(explanation="", outcome="")
    for module in modules.ACCOUNT_MODULES:
        module.erase_accounts(ids)
    return len(ids)


def destroy_children(
    child_ids: list[int],
    *,
    run_date: date,
    reason: str = "schedule",
    hook: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Destroy these children and everything about them, in the caller's transaction (R18).

    The one destruction path: the daily schedule and an erasure request both come here.
    Returns {kind: count} and writes a DestructionRecord with only kinds and counts.
    """
    from retention.models import DataRequest, DestructionRecord, Export, RequestEvent

    child_ids = list(Child.objects.filter(pk__in=child_ids).values_list("pk", flat=True))
    if not child_ids:
        return {}
    counts: Counter[str] = Counter()
    guardian_ids = set(
        Guardianship.objects.filter(child_id__in=child_ids).values_list("user_id", flat=True)
    )
    for module in modules.CHILD_MODULES:
        counts.update({k: v for k, v in module.destroy_children(child_ids).items() if v})
    if hook:
        hook("inside batch")  # the crash-safety tests interrupt here
    exports = Export.objects.filter(child_id__in=child_ids)
    counts["exports"] += files_queue_deletion(
        keys=exports.exclude(storage_key="").values_list("storage_key", flat=True)
    )
    exports.delete()
    # A data request about the child outlives it (the record that it was handled) without
    # the words: the parent's explanation, the outcome and the handlers' notes.
    about = DataRequest.objects.filter(child_id__in=child_ids)
    RequestEvent.objects.filter(request__in=about).exclude(note="").update(note="")
    counts["data request texts"] += about.exclude(explanation="", outcome="").update(
        explanation="", outcome=""
    )
    counts["invitations"] += GuardianInvitation.objects.filter(child_id__in=child_ids).delete()[0]
    counts["guardianships"] += Guardianship.objects.filter(child_id__in=child_ids).delete()[0]
    counts["care contracts"] += CareContract.objects.filter(child_id__in=child_ids).delete()[0]
    _total, by_model = Child.objects.filter(pk__in=child_ids).delete()
    counts["children"] += by_model.get("daycare.Child", 0)
    erased = erase_accounts(guardian_ids)
    counts = Counter({k: v for k, v in counts.items() if v})
    DestructionRecord.objects.create(
        run_date=run_date,
        reason=reason,
        children=counts["children"],
        accounts_erased=erased,
        counts=dict(sorted(counts.items())),
    )
    counts["accounts erased"] += erased
    return dict(counts)


def destroy_due(
    today: date,
    *,
    batch_size: int = BATCH_SIZE,
    report: RunReport,
    hook: Callable[[str], None] | None = None,
    deadline: float | None = None,
) -> None:
    after = 0
    while True:
        ids, last = due_for_destroy_ids(today, after_pk=after, limit=batch_size)
        if last is None:
            return
        after = last
        if not ids:
            continue
        with transaction.atomic():
            # Lock and re-check inside the transaction: a contract added meanwhile wins.
            list(Child.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
            rows = _ended(today).filter(pk__in=ids).values_list("pk", "last_end")
            ids = [pk for pk, end in rows if schedule.is_destroy_due(end, today)]
            counts = destroy_children(ids, run_date=today, hook=hook)
        report.destroyed += counts.get("children", 0)
        report.accounts_erased += counts.pop("accounts erased", 0)
        report.counts.update(counts)
        report.batches += 1
        if hook:
            hook("batch")
        if deadline is not None and time.monotonic() >= deadline:
            report.unfinished = True  # at least one batch a slice: every slice gets somewhere
            return


def delete_expired_exports() -> int:
    from retention.models import Export

    expired = Export.objects.filter(expires_at__lte=timezone.now())
    done = 0
    while True:
        with transaction.atomic():
            batch = list(expired.values_list("pk", "storage_key")[:500])
            if not batch:
                return done
            files_queue_deletion(keys=[key for _pk, key in batch if key])
            Export.objects.filter(pk__in=[pk for pk, _key in batch]).delete()
        done += len(batch)


def run(
    *,
    today: date | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    hook: Callable[[str], None] | None = None,
    time_limit: float | None = None,
) -> RunReport:
    """One day's retention work; repeat at will (R19).

    With ``time_limit`` (seconds) the run stops between batches once that much time has passed
    and says so (``report.unfinished``); the task then sends itself again, so no task runs
    longer than about the limit plus one batch and a worker that dies costs one slice, handed
    to another worker after the broker's visibility timeout (issue 21).

    A dry run does the whole run, every batch, in one transaction and rolls it back at the
    end, so what one batch leaves for the next (a guardian whose last child is in a later
    batch, a group photo of children in two batches) counts exactly as in the run (issue 21:
    rolling back each batch on its own counted such a guardian in neither). Nothing outside the
    database happens: files are only queued, tasks are sent after a commit that never comes.
    It holds its locks until it ends, so run it outside busy hours on a large organisation."""
    today = today or timezone.localdate()
    if dry_run:
        with transaction.atomic():
            report = _run(today, batch_size=batch_size, hook=None)
            transaction.set_rollback(True)
        report.dry_run = True
        _log(report)
        return report
    # Counted around the whole run: with an eager (or fast) files task the files queued by a
    # batch are already gone before the loop below, and they were deleted by this run all the same.
    queued_before, deleted_before = FILE_COUNTERS["queued"], FILE_COUNTERS["deleted"]
    deadline = None if time_limit is None else time.monotonic() + time_limit
    report = _run(today, batch_size=batch_size, hook=hook, deadline=deadline)
    if hook:
        hook("files")
    while files_delete_pending():  # stops when the queue is empty or stuck
        if deadline is not None and time.monotonic() >= deadline:
            report.unfinished = True
            break
    report.files_queued = FILE_COUNTERS["queued"] - queued_before
    report.files_deleted = FILE_COUNTERS["deleted"] - deleted_before
    _log(report)
    return report


def _run(
    today: date,
    *,
    batch_size: int,
    hook: Callable[[str], None] | None,
    deadline: float | None = None,
) -> RunReport:
    report = RunReport(today=today, dry_run=False)
    report.archived = archive(today)
    destroy_due(today, batch_size=batch_size, report=report, hook=hook, deadline=deadline)
    if not report.unfinished:
        report.exports_expired = delete_expired_exports()
    return report


@contextlib.contextmanager
def run_lock() -> "Iterator[bool]":
    """Yields whether this process may run retention now: a PostgreSQL advisory lock on its
    database connection, which PostgreSQL drops when that connection ends, so a worker that is
    killed lets go at once and nothing has to wait for a timeout (issue 21). Another process
    that holds it is running the same idempotent work; no lock on other databases (the demo)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("select pg_try_advisory_lock(%s)", [RUN_LOCK])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("select pg_advisory_unlock(%s)", [RUN_LOCK])


def unfinished_runs() -> "QuerySet[RetentionRun]":
    """Runs started in the last day and not finished (an older one waits for the daily run)."""
    from retention.models import RetentionRun

    since = timezone.now() - timedelta(days=1)
    return RetentionRun.objects.filter(finished_at__isnull=True, started_at__gte=since)


def run_waiting() -> bool:
    """A run was started and not finished, and no process runs it now: its worker died."""
    if not unfinished_runs().exists():
        return False
    with run_lock() as free:
        return free


def _log(report: RunReport) -> None:
    log.info(
        "retention %s%s: archived %s, destroyed %s children, %s accounts erased, %s",
        report.today,
        " (dry run, rolled back)" if report.dry_run else "",
        report.archived,
        report.destroyed,
        report.accounts_erased,
        dict(report.counts),
    )
