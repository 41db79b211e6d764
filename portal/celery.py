"""Celery for Ouderportaal: Redis broker from REDIS_URL, JSON only, the beat schedule in code.

django-celery-beat does not support Django 6.1, so the schedule lives here. Times are
Europe/Amsterdam and stay clear of 02:00-03:00, which daylight saving time skips or repeats.
Without REDIS_URL the tasks run eagerly in the calling process (demo, bare machines).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

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
)
from celery.schedules import crontab  # noqa: E402

app.conf.beat_schedule = {
    "retention-run": {  # archive and destroy (R19); also deletes expired exports and files
        "task": "retention.tasks.run_retention_task",
        "schedule": crontab(hour=4, minute=15),
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
    "messaging-send-due-notifications": {
        "task": "messaging.tasks.send_due_notifications_task",
        "schedule": 60.0,
    },
    "newsletters-announce-due": {
        "task": "newsletters.tasks.announce_due_task",
        "schedule": 300.0,
    },
}
app.autodiscover_tasks()
