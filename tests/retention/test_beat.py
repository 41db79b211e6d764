"""Celery beat runs the retention work daily, outside the hour DST skips or repeats (R19)."""

from portal.celery import app


def test_it_schedules_retention_daily_outside_the_dst_hour():
    schedule = app.conf.beat_schedule
    for name in ("retention-run", "retention-deadline-reminders", "retention-expired-exports"):
        entry = schedule[name]
        assert entry["task"].startswith("retention.tasks.")
        hours = entry["schedule"].hour
        assert len(hours) == 1 and 2 not in hours
    assert app.conf.timezone == "Europe/Amsterdam"
    assert schedule["files-delete-pending"]["task"] == "files.tasks.delete_pending_files_task"
