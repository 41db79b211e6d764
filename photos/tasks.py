import logging
from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from files.transient import is_transient_storage_error
from photos.models import Photo
from photos.services import photo_make_variants

log = logging.getLogger(__name__)

# Retries of one task: about 1, 2, 4, ... seconds apart (with jitter), at most RETRY_MAX_SECONDS
# (kept below the broker's visibility timeout, so a waiting retry is not handed out twice).
# After the last one the sweeper below takes the photo up again: nothing waits on a lost task.
MAX_RETRIES = 8
RETRY_MAX_SECONDS = 120
SWEEP_LIMIT = 500


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def make_variants_task(self, photo_id: int) -> bool:
    try:
        return photo_make_variants(photo_id=photo_id)
    except Exception as error:
        if not is_transient_storage_error(error) or self.request.retries >= self.max_retries:
            raise
        countdown = get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=RETRY_MAX_SECONDS, full_jitter=True
        )
        log.warning(
            "variants of photo %s: storage unavailable (%s), retry %s in %ss",
            photo_id,
            type(error).__name__,
            self.request.retries + 1,
            countdown,
        )
        raise self.retry(exc=error, countdown=countdown) from None


@shared_task
def sweep_variants_task() -> int:
    """Beat, every few minutes: send the variants task again for every photo that has been
    waiting for its variants longer than ``PHOTOS_VARIANTS_SWEEP_AFTER`` seconds (a task lost
    to a storage outage, a purged queue or a worker that died for good), and once for every
    photo uploaded before the face guard existed (issue 18). Returns how many."""
    since = timezone.now() - timedelta(seconds=settings.PHOTOS_VARIANTS_SWEEP_AFTER)
    waiting = list(
        # A blurred rendering owed (the face guard, issue 18) holds the photo until it is made;
        # a photo from before the face guard is checked for faces once.
        Photo.objects.filter(
            Q(display_key="")
            | Q(thumb_key="")
            | Q(blur_rendered__lt=F("blur_version"))
            | Q(faces_checked=False),
            uploaded_at__lte=since,
        )
        .order_by("uploaded_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for photo_id in waiting:
        make_variants_task.delay(photo_id)
    if waiting:
        log.warning("sweep: %s photos without variants sent again", len(waiting))
    return len(waiting)
