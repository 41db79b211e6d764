"""Deployment checks of our own, run by ``manage.py check --deploy`` beside Django's."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """allauth's rate limits (login, password reset, codes) and the message limit count in the
    cache: without Redis every process counts on its own, so N workers allow N times as many
    tries (R23)."""
    if settings.DEBUG or settings.REDIS_URL:
        return []
    return [
        checks.Warning(
            "REDIS_URL is not set: rate limits are counted per process, not shared.",
            hint="Set REDIS_URL in production; the cache, the rate limits and Celery use it.",
            id="portal.W001",
        )
    ]
