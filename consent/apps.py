from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Consent")
    panels = {
        "banner": "consent.panels.banner",
        "parent_home": "consent.panels.parent_home",
        "child_card": "consent.panels.child_card",
        "staff_home": "consent.panels.staff_home",
        "staff_child": "consent.panels.staff_child",
    }

    def seed_demo(self, *, today):
        from consent.demo import seed

        seed(today=today)
