from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Access log")
    panels = {
        "child_card": "audit.panels.child_card",
        "staff_home": "audit.panels.staff_home",
    }

    def seed_demo(self, *, today):
        from audit.demo import seed

        seed(today=today)
