from django.apps import AppConfig
from django.urls import register_converter

from core.ids import CodeConverter


class PortalConfig(AppConfig):
    """The wiring at the top: settings, URLs, navigation, middleware and the pages that show
    every app together (the child page, Vandaag, the staff home) and ``seed_demo``."""

    name = "portal"
    verbose_name = "Ouderportaal"

    def ready(self):
        from portal import checks  # noqa: F401 - registers the deployment checks

        # ``<code:...>`` in every app's urls module: at start-up, so each of them loads alone,
        # not only through portal/urls.py.
        register_converter(CodeConverter, "code")
