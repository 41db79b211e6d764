"""Structured logs: one JSON object per line with the request id and the user id.

No personal content goes into logs: ids, paths and status codes, never names, e-mail addresses,
message or diary text. ``RequestIdMiddleware`` takes the id from ``X-Request-ID`` (set by the
proxy) or makes one, and returns it in the response header.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        user_token = user_id_var.set("-")  # UserIdMiddleware fills it in
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        try:
            response = self.get_response(request)
            if settings.SERVER_TIMING:
                # For bench/: CPU time spent in Python for this request (steadier than wrk).
                cpu_ms = (time.process_time() - started_cpu) * 1000
                wall_ms = (time.perf_counter() - started_wall) * 1000
                response["Server-Timing"] = f"cpu;dur={cpu_ms:.2f}, app;dur={wall_ms:.2f}"
            response["X-Request-ID"] = request_id
            extra = {
                "method": request.method,
                "path": request.path_info,
                "status": response.status_code,
            }
            events = getattr(request, "portal_auth_events", None)
            if events:  # authentication events of this request (accounts/security.py)
                extra["auth_events"] = events
            logging.getLogger("portal.request").info("request", extra=extra)
            return response
        finally:
            user_id_var.reset(user_token)
            request_id_var.reset(token)


class UserIdMiddleware:
    """Puts the signed-in user's id (never a name or address) on every log line from here on,
    the view's own included. After AuthenticationMiddleware; a login or logout during the
    request shows on the request line too. RequestIdMiddleware, outside it, resets it when the
    request ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_id_var.set(_user_id(request))
        response = self.get_response(request)
        user_id_var.set(_user_id(request))
        return response


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else "-"
