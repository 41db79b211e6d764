"""Quiet hours and the digest at their exact boundaries (frozen time) and as properties."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from consent.models import Purpose
from diary.services import diary_entry_write
from push.models import PendingPush, PushSettings
from push.timing import in_quiet_hours, release_at

AMS = ZoneInfo("Europe/Amsterdam")
NIGHT = {"quiet_start": time(21), "quiet_end": time(7)}


def at(*args):
    return datetime(*args, tzinfo=AMS)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 7, 20, 59, 59), at(2026, 12, 7, 20, 59, 59)),
        (at(2026, 12, 7, 21, 0, 0), at(2026, 12, 8, 7, 0)),
        (at(2026, 12, 7, 23, 59, 59), at(2026, 12, 8, 7, 0)),
        (at(2026, 12, 8, 0, 0, 0), at(2026, 12, 8, 7, 0)),
        (at(2026, 12, 8, 6, 59, 59), at(2026, 12, 8, 7, 0)),
        (at(2026, 12, 8, 7, 0, 0), at(2026, 12, 8, 7, 0)),
        # The night the clocks go forward (29 March 2026) and back (25 October 2026).
        (at(2026, 3, 28, 22, 0), at(2026, 3, 29, 7, 0)),
        (at(2026, 10, 24, 22, 0), at(2026, 10, 25, 7, 0)),
    ],
)
def test_it_holds_a_push_until_quiet_hours_end(now, expected):
    assert release_at(now, **NIGHT) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 7, 18, 29, 59), at(2026, 12, 7, 18, 30)),
        (at(2026, 12, 7, 18, 30, 0), at(2026, 12, 7, 18, 30)),
        (at(2026, 12, 7, 18, 30, 1), at(2026, 12, 8, 18, 30)),
    ],
)
def test_it_waits_for_the_digest_hour(now, expected):
    assert release_at(now, **NIGHT, digest_at=time(18, 30)) == expected


def test_it_moves_a_digest_inside_quiet_hours_to_their_end():
    assert release_at(at(2026, 12, 7, 12), **NIGHT, digest_at=time(22)) == at(2026, 12, 8, 7)


def test_it_has_no_quiet_hours_when_start_and_end_are_equal():
    now = at(2026, 12, 7, 23, 0)
    assert release_at(now, quiet_start=time(7), quiet_end=time(7)) == now


def test_it_knows_quiet_hours_within_one_day():
    assert in_quiet_hours(time(13), time(12), time(14))
    assert not in_quiet_hours(time(14), time(12), time(14))
    assert not in_quiet_hours(time(11, 59), time(12), time(14))


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
wall_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(now=moments, start=wall_times, end=wall_times, digest=st.none() | wall_times)
def test_it_never_sends_in_quiet_hours_never_early_and_within_a_day(now, start, end, digest):
    out = release_at(now, quiet_start=start, quiet_end=end, digest_at=digest)
    assert out >= now
    assert not in_quiet_hours(out.astimezone(AMS).time(), start, end)
    assert out - now <= timedelta(days=2, hours=1)
    local = now.astimezone(AMS).time()
    if digest is None and not in_quiet_hours(local, start, end):
        assert out == now


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "due"),
    [
        (at(2026, 12, 7, 20, 59, 59), at(2026, 12, 7, 20, 59, 59)),
        (at(2026, 12, 7, 21, 0), at(2026, 12, 8, 7, 0)),
    ],
)
def test_it_queues_a_diary_push_with_the_parents_quiet_hours(
    cast, decide, subscribe, receiver, django_capture_on_commit_callbacks, now, due
):
    decide(cast.daan, Purpose.DIARY)
    subscribe(cast.anna, kinds=["diary"])
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=now.date(), text="x")
    assert PendingPush.objects.get(user=cast.anna).due_at == due


@pytest.mark.django_db
def test_it_uses_the_persons_own_quiet_hours(
    cast, decide, subscribe, receiver, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    PushSettings.objects.create(user=cast.anna, quiet_start=time(19), quiet_end=time(8))
    subscribe(cast.anna, kinds=["diary"])
    now = at(2026, 12, 7, 19, 0)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=now.date(), text="x")
    assert PendingPush.objects.get(user=cast.anna).due_at == at(2026, 12, 8, 8, 0)
    assert receiver.received == []
