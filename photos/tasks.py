from celery import shared_task

from photos.services import photo_make_variants


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_variants_task(photo_id: int) -> bool:
    return photo_make_variants(photo_id=photo_id)
