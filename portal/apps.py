from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The wiring at the top: settings, URLs, navigation, middleware and the pages that show
    every app together (the child page, Vandaag, the staff home) and ``seed_demo``."""

    name = "portal"
    verbose_name = "Ouderportaal"

    def ready(self):
        from portal import checks  # noqa: F401 - registers the deployment checks
