from celery import shared_task

from outbox.services import outbox_relay


@shared_task(ignore_result=True)
def relay_outbox_task() -> int:
    """Send the tasks kept while the broker was down (beat, every minute)."""
    return outbox_relay()
