"""The outbox (issue 11): a task the broker cannot take is kept in the database and sent once
the broker is back; beat's due entries too. The real outage, with Redis stopped under the real
processes, is in tests/integration/test_outages.py."""

import pytest
from celery import Celery
from django.db import transaction

from outbox.models import OutboxTask
from outbox.services import enqueue, outbox_relay
from portal.celery import OutboxScheduler

pytestmark = pytest.mark.django_db(transaction=True)

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _app(broker):
    app = Celery("outbox-test", broker=broker, set_as_current=False)
    app.conf.task_publish_retry_policy = {"max_retries": 0}
    app.conf.broker_connection_timeout = 1

    @app.task(name="outbox.tests.ping", shared=False)
    def ping(*args):
        return args

    return app, ping


def test_it_keeps_a_task_in_the_database_when_the_broker_is_down():
    _app_down, ping = _app(DOWN)
    with transaction.atomic():
        enqueue(ping, 7, "x")
        assert not OutboxTask.objects.exists()  # nothing before the commit
    row = OutboxTask.objects.get()
    assert (row.task, row.args) == ("outbox.tests.ping", [7, "x"])


def test_it_sends_nothing_when_the_transaction_rolls_back():
    _app_down, ping = _app(DOWN)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(ping, 1)
        raise RuntimeError("the write failed")
    assert not OutboxTask.objects.exists()


def test_it_relays_kept_tasks_in_order_once_the_broker_is_back():
    OutboxTask.objects.create(task="outbox.tests.ping", args=[1])
    OutboxTask.objects.create(task="outbox.tests.ping", args=[2])
    app_down, _ = _app(DOWN)
    assert outbox_relay(app=app_down) == 0
    assert list(OutboxTask.objects.values_list("attempts", flat=True)) == [1, 0]

    app_up, _ = _app("memory://")
    assert outbox_relay(app=app_up) == 2
    assert not OutboxTask.objects.exists()
    with app_up.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        bodies = [queue.get(timeout=1) for _ in range(2)]
        assert [message.payload[0] for message in bodies] == [[1], [2]]
        queue.close()


def test_it_keeps_a_due_beat_entry_once_however_often_it_falls_due(tmp_path):
    app_down, _ = _app(DOWN)
    scheduler = OutboxScheduler(app=app_down, schedule_filename=str(tmp_path / "beat"))
    entry = scheduler.Entry(
        name="retention-run",
        task="retention.tasks.run_retention_task",
        schedule=60,
        app=app_down,
    )
    assert scheduler.apply_async(entry) is None
    assert scheduler.apply_async(entry) is None
    row = OutboxTask.objects.get()
    assert row.task == "retention.tasks.run_retention_task"
    assert row.dedupe_key == "beat:retention-run"
