"""Sending Celery tasks without losing them when the broker is down (issue 11).

``enqueue(task, *args)`` sends the task once the current transaction commits (the house rule:
never ``.delay()`` inside an open transaction). When the broker cannot be reached, the task is
written to :class:`~outbox.models.OutboxTask` instead and :func:`outbox_relay` sends it once the
broker is back. The happy path costs nothing extra: no row, no query.
"""

import logging
from functools import partial
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from outbox.models import OutboxTask

log = logging.getLogger(__name__)

RELAY_BATCH = 500


def enqueue(task: "Any", *args: "Any") -> None:
    """Send ``task`` with JSON-serialisable ``args`` after the current transaction commits."""
    transaction.on_commit(partial(_send, task, list(args)))


def _send(task: "Any", args: list[Any]) -> None:
    try:
        task.apply_async(args=args)  # a stale connection is retried (task_publish_retry_policy)
    except BrokerUnavailable as error:
        log.warning("broker unavailable, task %s kept in the outbox: %s", task.name, error)
        OutboxTask.objects.create(task=task.name, args=args)


def outbox_keep(*, task: str, args: list[Any], dedupe_key: str | None = None) -> None:
    """Keep a task the broker refused (beat uses this for its due entries)."""
    if dedupe_key:
        OutboxTask.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"task": task, "args": args}
        )
    else:
        OutboxTask.objects.create(task=task, args=args)


def outbox_relay(*, limit: int = 10_000, app: "Any | None" = None) -> int:
    """Send what the outbox holds, oldest first, and delete each row once the broker has it.
    Stops at the first broker failure (it is still down). Returns how many were sent."""
    from celery import current_app

    app = app or current_app
    sent = 0
    while sent < limit:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True).order_by("pk")[:RELAY_BATCH]
            )
            if not rows:
                break
            done = []
            for row in rows:
                try:
                    app.send_task(row.task, args=row.args)
                except BrokerUnavailable:
                    OutboxTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
                    break
                done.append(row.pk)
            OutboxTask.objects.filter(pk__in=done).delete()
        sent += len(done)
        if len(done) < len(rows):
            break
    if sent:
        log.info("outbox: sent %s waiting tasks", sent)
    return sent
