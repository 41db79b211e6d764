from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.urls import register_converter

        from accounts import signals  # noqa: F401
        from portal import checks  # noqa: F401 - registers the deployment checks
        from portal.ids import CodeConverter

        # ``<code:...>`` in every app's urls module (portal is not an app of its own): at
        # start-up, so each of them loads alone, not only through portal/urls.py.
        register_converter(CodeConverter, "code")
