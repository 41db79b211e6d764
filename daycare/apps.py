from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DaycareConfig(AppConfig):
    name = "daycare"
    verbose_name = _("Daycare")
