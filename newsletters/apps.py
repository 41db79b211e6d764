from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("News")
    panels = {
        "parent_home": "newsletters.panels.parent_home",
        "staff_home": "newsletters.panels.staff_home",
    }

    def seed_demo(self, *, today):
        from newsletters.demo import seed

        seed(today=today)
