from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")
    panels = {
        "nav": "messaging.panels.nav",
        "child_card": "messaging.panels.child_card",
        "staff_home": "messaging.panels.staff_home",
        "staff_child": "messaging.panels.staff_child",
    }

    def seed_demo(self, *, today):
        from messaging.demo import seed

        seed(today=today)
