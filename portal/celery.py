"""Celery for Ouderportaal: Redis broker from REDIS_URL, JSON only, the beat schedule in code.

django-celery-beat does not support Django 6.1, so the schedule lives here. Times are
Europe/Amsterdam and stay clear of 02:00-03:00, which daylight saving time skips or repeats.
Without REDIS_URL the tasks run eagerly in the calling process (demo, bare machines).
"""

import logging
import os

from celery import Celery
from celery.beat import PersistentScheduler, SchedulingError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
log = logging.getLogger(__name__)

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    timezone="Europe/Amsterdam",
    enable_utc=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    # A page that sends a task does not hang on a broker that is down: two quick retries (a
    # stale connection after a Redis restart), then outbox.services keeps the task in the
    # database. Workers wait for the broker to come back however long it takes.
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    },
    broker_connection_max_retries=None,
    beat_scheduler="portal.celery:OutboxScheduler",
)
# Interval entries (not the daily ones) can be made faster for the integration tests.
_scale = float(os.environ.get("BEAT_PERIOD_SCALE", "1") or 1)


class OutboxScheduler(PersistentScheduler):
    """Beat's scheduler, which keeps a due entry in the outbox when the broker refuses it, so a
    run that falls due during a Redis outage still happens once the broker is back (beat
    catches up). Celery's own scheduler would log the error and wait for the next due time."""

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        try:
            return super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        except SchedulingError as error:
            import django
            from django.apps import apps

            if not apps.ready:
                django.setup()
            from outbox.services import outbox_keep

            outbox_keep(task=entry.task, args=list(entry.args), dedupe_key=f"beat:{entry.name}")
            log.warning("beat: broker unavailable, %s kept in the outbox (%s)", entry.name, error)
            return None


from celery.schedules import crontab  # noqa: E402

app.conf.beat_schedule = {
    "retention-run": {  # archive and destroy (R19); also deletes expired exports and files
        "task": "retention.tasks.run_retention_task",
        "schedule": crontab(hour=4, minute=15),
    },
    "consent-verification": {  # the projection against the decisions (issue 16)
        "task": "consent.tasks.verify_projection_task",
        "schedule": crontab(hour=4, minute=45),
    },
    "retention-deadline-reminders": {
        "task": "retention.tasks.remind_deadlines_task",
        "schedule": crontab(hour=7, minute=30),
    },
    "retention-expired-exports": {
        "task": "retention.tasks.delete_expired_exports_task",
        "schedule": crontab(hour=16, minute=45),
    },
    "files-delete-pending": {
        "task": "files.tasks.delete_pending_files_task",
        "schedule": crontab(minute="*/10"),
    },
    "consent-send-due-notices": {  # grouped "a choice changed" e-mails (consent/tasks.py)
        "task": "consent.tasks.send_due_consent_notices_task",
        "schedule": 60.0 * _scale,
    },
    "photos-sweep-variants": {  # photos whose variants task was lost (an S3 outage, say)
        "task": "photos.tasks.sweep_variants_task",
        "schedule": 300.0 * _scale,
    },
    "messaging-send-due-notifications": {
        "task": "messaging.tasks.send_due_notifications_task",
        "schedule": 60.0 * _scale,
    },
    "newsletters-announce-due": {
        "task": "newsletters.tasks.announce_due_task",
        "schedule": 300.0 * _scale,
    },
    "push-send-due": {  # pushes held through quiet hours or for a digest (push app)
        "task": "push.tasks.send_due_pushes_task",
        "schedule": 60.0 * _scale,
    },
    "retention-resume": {  # a retention run whose worker died carries on (retention/tasks.py)
        "task": "retention.tasks.resume_retention_task",
        "schedule": 60.0 * _scale,
    },
    "outbox-relay": {  # tasks kept while the broker was down (outbox app)
        "task": "outbox.tasks.relay_outbox_task",
        "schedule": 60.0 * _scale,
    },
}
app.autodiscover_tasks()
