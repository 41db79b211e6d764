from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Task outbox")

    def ready(self):
        from celery.signals import worker_ready

        from outbox import signals

        worker_ready.connect(signals.relay_on_worker_start, weak=False)
