from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")
    panels = {
        "child_card": "diary.panels.child_card",
        "staff_home": "diary.panels.staff_home",
        "staff_child": "diary.panels.staff_child",
    }

    def seed_demo(self, *, today):
        from diary.demo import seed

        seed(today=today)
