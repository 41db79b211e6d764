from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention and data requests")

    def ready(self) -> None:
        # The retention modules are imported at start-up, so a missing one fails at once;
        # the check tells an app that keeps data without a module.
        from retention import checks, modules  # noqa: F401
