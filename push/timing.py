"""When a push may go out: quiet hours hold it until they end; a digest waits for its hour.

Times are Europe/Amsterdam wall-clock times (DESIGN.md: store UTC, decide locally). Quiet
hours run from ``start`` (included) to ``end`` (excluded) and may cross midnight; equal start
and end mean no quiet hours.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _next_at(after: datetime, wall: time) -> datetime:
    """The first moment at or after ``after`` whose Amsterdam wall-clock time is ``wall``."""
    day = after.date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), wall, tzinfo=AMSTERDAM)
        # A wall time that DST skips (02:30 on the last Sunday of March) maps past the gap.
        candidate = candidate.astimezone(ZoneInfo("UTC")).astimezone(AMSTERDAM)
        if candidate >= after:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def release_at(
    now: datetime, *, quiet_start: time, quiet_end: time, digest_at: time | None = None
) -> datetime:
    """The moment a push created at ``now`` goes out (aware, in UTC: a wall time in the hour
    that repeats when summer time ends never compares equal across zones, PEP 495)."""
    moment = now.astimezone(AMSTERDAM)
    if digest_at is not None:
        moment = _next_at(moment, digest_at)
    if in_quiet_hours(moment.timetz().replace(tzinfo=None), quiet_start, quiet_end):
        moment = _next_at(moment, quiet_end)
    return moment.astimezone(UTC)
