from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = _("Photos")
    panels = {
        "staff_home": "photos.panels.staff_home",
        "child_card": "photos.panels.child_card",
    }

    def seed_demo(self, *, today):
        from photos.demo import seed_photos

        seed_photos(today=today)
