from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """A Celery task the broker could not take (Redis down): kept here and sent again later.

    Rows appear only on the unhappy path (``outbox.services.enqueue``); the relay
    (``relay_outbox_task``, every minute from beat, and at every worker start) sends them in
    order and deletes each once the broker has it. Arguments are JSON, like every task
    message; tasks are idempotent, so a row sent twice after a crash does no harm.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    # Beat's entries are kept once each however often they fall due during an outage.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task} ({self.created_at:%Y-%m-%d %H:%M})"
