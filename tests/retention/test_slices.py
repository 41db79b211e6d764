"""The daily retention run works in time slices that send the next one (issue 21, finding 5):
no task runs longer than the broker's visibility timeout, and a worker killed mid-run costs one
slice, not the whole run."""

from datetime import date

import pytest
import time_machine

from daycare.models import Child
from retention import engine
from retention.tasks import run_retention_task
from tests.retention.helpers import make_child

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
LONG_AGO = (date(2020, 1, 6), date(2025, 10, 1))  # destroy due on 2026-10-01


def test_it_stops_between_batches_once_its_time_is_up_and_the_next_run_carries_on(cast):
    due = [make_child(cast.group_c, contracts=[LONG_AGO]).pk for _ in range(3)]
    due_before = len(engine.due_for_destroy_ids(TODAY, limit=100)[0])  # with the cast's Lieke
    first = engine.run(today=TODAY, batch_size=1, time_limit=0)
    assert first.unfinished and first.destroyed == 1  # one batch, then its time was up
    assert len(engine.due_for_destroy_ids(TODAY, limit=100)[0]) == due_before - 1
    rest = engine.run(today=TODAY, batch_size=1)
    assert not rest.unfinished and Child.objects.filter(pk__in=due).count() == 0


def test_it_sends_the_next_slice_until_the_run_is_done(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_SLICE_SECONDS = 0  # every slice does one batch at most, then hands on
    due = [make_child(cast.group_c, contracts=[LONG_AGO]).pk for _ in range(3)]
    with (
        time_machine.travel(TODAY, tick=False),
        django_capture_on_commit_callbacks(execute=True) as sent,
    ):
        run_retention_task.apply()  # each slice sends the next (eagerly: runs it at once)
    assert not Child.objects.filter(pk__in=due).exists()
    assert len(sent) == 1  # the first slice handed on; the second found nothing left


def test_it_gives_a_killed_task_back_within_ten_minutes_by_default():
    from tests.security.test_hardening import production_settings

    found = production_settings("CELERY_BROKER_TRANSPORT_OPTIONS", "RETENTION_SLICE_SECONDS")
    options = found["CELERY_BROKER_TRANSPORT_OPTIONS"]
    timeout = options["visibility_timeout"]
    assert timeout == 600
    # Running workers look for a dead worker's tasks every 10 s, not every 100 s (kombu's
    # default throttle of 10): the README's "10 minutes and 10 seconds" holds.
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] == 10
    assert found["RETENTION_SLICE_SECONDS"] * 2 < timeout  # a slice and a batch fit easily


def test_it_carries_on_a_run_whose_worker_died_from_its_own_record(cast):
    from retention.models import RetentionRun
    from retention.tasks import resume_retention_task

    due = [make_child(cast.group_c, contracts=[LONG_AGO]).pk for _ in range(2)]
    with time_machine.travel(TODAY, tick=False):
        assert resume_retention_task.apply().get() is False  # no run started: nothing to do
        assert Child.objects.filter(pk__in=due).count() == 2
        killed = RetentionRun.objects.create()  # what a worker killed mid-run leaves
        assert resume_retention_task.apply().get() is True
        assert not Child.objects.filter(pk__in=due).exists()
        killed.refresh_from_db()
        assert killed.finished_at is not None
        assert RetentionRun.objects.count() == 1  # carried on, not a second run
        assert resume_retention_task.apply().get() is False


def test_it_records_each_run_and_finishes_it_once_nothing_is_left(
    cast, settings, django_capture_on_commit_callbacks
):
    from retention.models import RetentionRun

    settings.RETENTION_SLICE_SECONDS = 0
    [make_child(cast.group_c, contracts=[LONG_AGO]) for _ in range(2)]
    with (
        time_machine.travel(TODAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_retention_task.apply()
    run = RetentionRun.objects.get()  # one record for the run and all its slices
    assert run.finished_at is not None


def test_it_leaves_an_unfinished_run_of_days_ago_to_the_daily_run(cast):
    from retention.models import RetentionRun
    from retention.tasks import resume_retention_task

    due = make_child(cast.group_c, contracts=[LONG_AGO]).pk
    with time_machine.travel(date(2026, 11, 23), tick=False):
        RetentionRun.objects.create()
    with time_machine.travel(TODAY, tick=False):
        assert resume_retention_task.apply().get() is False
        assert Child.objects.filter(pk=due).exists()
