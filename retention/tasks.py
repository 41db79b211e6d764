import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_portal_mail
from outbox.services import enqueue
from push.services import push_announce
from retention import engine
from retention.exports import build_export
from retention.models import Export, RetentionRun
from retention.selectors import requests_near_deadline

log = logging.getLogger(__name__)


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def build_export_task(export_id: int) -> None:

    export = Export.objects.filter(pk=export_id).select_related("child__group__location").first()
    if export is None or export.status != Export.Status.PENDING:
        return
    try:
        build_export(export)
    except Exception:
        log.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id, status=Export.Status.PENDING).update(
            status=Export.Status.FAILED
        )
        raise
    export.refresh_from_db()
    if export.status == Export.Status.READY:
        send_portal_mail(
            to=[export.requested_by.email],
            template="retention/email/export_ready",
            context={"url": settings.SITE_URL + reverse("retention:index"), "export": export},
        )


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def run_retention_task() -> None:
    """The daily run in slices of ``RETENTION_SLICE_SECONDS``: each slice sends the next, so
    no task outlives the broker's visibility timeout and a killed worker costs one slice. The
    run keeps its own record (``RetentionRun``) and holds ``engine.run_lock`` while it works: a
    second copy (beat's resume, a redelivered task) finds the lock taken and leaves it."""

    with engine.run_lock() as held:
        if not held:
            log.info("retention: already running in another process")
            return
        if not engine.unfinished_runs().exists():
            RetentionRun.objects.create()
        report = engine.run(time_limit=settings.RETENTION_SLICE_SECONDS)
        if not report.unfinished:
            RetentionRun.objects.filter(finished_at__isnull=True).update(finished_at=timezone.now())
    if report.unfinished:
        enqueue(run_retention_task)


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def resume_retention_task() -> bool:
    """Beat, every minute: a run whose worker died carries on from its own record and from what
    the database says is still due, without waiting for the broker to hand the killed task on
    (CELERY_VISIBILITY_TIMEOUT, 10 minutes; issue 21)."""

    if not engine.run_waiting():
        return False
    log.warning("retention: an unfinished run without a worker, carrying on")
    run_retention_task()
    return True


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def delete_expired_exports_task() -> int:

    return engine.delete_expired_exports()


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def remind_deadlines_task() -> int:
    """Daily: tell customer service which data requests are within a week of their deadline
    or overdue (R20). Codes and dates only, no personal data."""

    near = list(requests_near_deadline(timezone.localdate()))
    if near:
        send_portal_mail(
            to=[settings.CUSTOMER_SERVICE_EMAIL],
            template="retention/email/deadlines",
            context={
                "requests": near,
                "today": timezone.localdate(),
                "url": settings.SITE_URL + reverse("retention_staff:requests"),
            },
        )

        push_announce(kind="requests", key=f"requests-deadline:{timezone.localdate()}", ref="staff")
    return len(near)


@shared_task  # type: ignore[untyped-decorator]  # Celery has no type information
def send_erasure_done_task(email: str) -> None:
    """The last e-mail to a parent whose erasure closed their account: they cannot log in to
    read the outcome any more (R20). The address is passed in: the account no longer has it."""
    send_portal_mail(to=[email], template="retention/email/erasure_done", context={})
