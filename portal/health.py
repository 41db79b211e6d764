"""Health endpoints for the load balancer.

- ``/health/live/``: the process answers (no database, no cache): restart it if this fails;
- ``/health/ready/``: database, cache, storage and (when configured) the Redis broker answer:
  send traffic only while this passes. django-health-check does the checking.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView


@never_cache
@login_not_required
def live(request):
    return HttpResponse("ok", content_type="text/plain")


def _ready_checks():
    checks = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
    ]
    if settings.REDIS_URL:
        from redis.asyncio import Redis as RedisClient

        url = settings.REDIS_URL
        checks.append(
            (
                "health_check.contrib.redis.Redis",
                {"client_factory": lambda: RedisClient.from_url(url)},
            )
        )
    return checks


ready = never_cache(login_not_required(HealthCheckView.as_view(checks=_ready_checks())))
