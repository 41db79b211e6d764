"""Celery signal receivers, connected in OutboxConfig.ready() (no domain logic here)."""

import logging

from outbox.services import outbox_relay

log = logging.getLogger(__name__)


def relay_on_worker_start(sender=None, **kwargs):
    """A worker that starts after an outage sends what waited, without waiting for beat."""

    try:
        outbox_relay()
    except Exception:  # the worker must start even if the database is not there yet
        log.exception("outbox: relay at worker start failed")
