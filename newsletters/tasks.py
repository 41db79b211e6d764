from celery import shared_task

from newsletters import services


@shared_task
def announce_due_task():
    """Beat, every 5 minutes: announce items whose publication time has come (idempotent)."""
    return services.publications_announce_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_announcement_task(user_id, publication_ids):
    return services.announcement_send(user_id=user_id, publication_ids=publication_ids)
