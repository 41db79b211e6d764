"""``check --deploy``: push needs VAPID keys in production."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def vapid_keys_set(app_configs, **kwargs):
    if settings.DEBUG or (settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY):
        return []
    return [
        checks.Warning(
            "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are not set: no push notifications are sent.",
            hint="Run 'manage.py push_vapid_keys' once and put its output in the environment.",
            id="push.W001",
        )
    ]
