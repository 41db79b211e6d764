"""Health endpoints for the load balancer (issue 11; issue 19 finding 4; issue 21 finding 4).

- ``/health/live/``: the process answers (no database, no cache, no session): restart it if
  this fails. It stays fast while the database is down because the pool fails fast then
  (``portal/pgpool/base.py``), so no worker is held for ``DATABASE_POOL_TIMEOUT``.
- ``/health/ready/``: the database, the cache, the storage and (when configured) the Redis
  broker answer: send traffic only while this passes (200, else 503). Strangers get the bare
  status only ("ok" / "unavailable"); the components and their errors (which name hosts and
  ports) go to a caller on the machine itself (loopback, not through the proxy) or one that
  sends ``HEALTH_TOKEN`` as ``Authorization: Bearer <token>``. django-health-check does the
  checking.
"""

import asyncio
import hmac
import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView

# A request that came through a proxy carries one of these, whatever address it arrives from.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@never_cache
@login_not_required
def live(request):
    return HttpResponse("ok", content_type="text/plain")


def _ready_checks():
    checks: list[str | tuple[str, dict[str, Any]]] = [
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


def may_see_details(request) -> bool:
    """The machine itself (not through the proxy), or a caller with the token."""
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").strip().encode(), token.encode())
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


class ReadyView(HealthCheckView):
    async def get(self, request, *args, **kwargs):
        if may_see_details(request):
            response = await super().get(request, *args, **kwargs)
            if response.status_code == 500:
                response.status_code = 503  # the same status a stranger gets
            return response
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        if any(result.error for result in results):
            return HttpResponse("unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")


ready = never_cache(login_not_required(ReadyView.as_view(checks=_ready_checks())))
