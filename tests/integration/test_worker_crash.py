"""SIGKILL the Celery worker in the middle of a retention run and of a batch of photo variants,
start it again: the end state is that of an uninterrupted run (R18, R19, DESIGN.md "Deletion is
crash-safe"). A killed variants task comes back by itself within the broker's visibility timeout
(late acknowledgement, CELERY_VISIBILITY_TIMEOUT); a killed retention run does not wait for that:
beat's retention-resume carries it on from its own record (issue 21, finding 5).

"The state of an uninterrupted run" is checked by what such a run must leave: every due child
and its data gone, every other child untouched, the bucket holding exactly the objects the
database points at, and no object the database points at missing.
"""

import json
import subprocess
import time

import pytest

from tests.integration.conftest import BIN, ROOT, Person, jpeg, wait_for
from tests.integration.test_photo_flow import upload

pytestmark = pytest.mark.integration

REFERENCED_KEYS = """
    select original_key from photos_photo union select display_key from photos_photo
    union select thumb_key from photos_photo union select storage_key from messaging_attachment
    union select image_key from newsletters_publication
    union select pdf_key from newsletters_publication union select key from newsletters_attachment
    union select storage_key from retention_export
"""

# What waits in the crash-safe deletion queue: single keys and batches of keys.
QUEUED = (
    "select (select count(*) from files_pendingfiledeletion)"
    " + (select count(*) from files_pendingfilebatch)"
)


def referenced_keys(services) -> set[str]:
    return {key for (key,) in services.sql(REFERENCED_KEYS) if key}


def assert_bucket_matches_database(services):
    bucket, referenced = services.bucket_keys(), referenced_keys(services)
    assert referenced - bucket == set(), "rows point at missing objects"
    assert bucket - referenced == set(), "orphan objects in the bucket"


def scenario(stack, *args) -> dict:
    done = subprocess.run(
        [str(BIN / "python"), "-m", "tests.integration.scenarios", *map(str, args)],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def forget_killed_messages(services):
    """The broker keeps a killed task's message and hands it out once its visibility timeout
    has passed: clear it, so that it does not run in a later test of this session."""
    import redis

    redis.Redis.from_url(services.redis_url).delete("unacked", "unacked_index")


def test_it_finishes_a_retention_run_killed_in_the_middle(stack_with, services):
    # The production visibility timeout: the run must not wait for the killed task to return.
    stack = stack_with(CELERY_VISIBILITY_TIMEOUT="600")
    seeded = scenario(stack, "retention", 450)  # three batches of 200
    due, kept = seeded["due"], seeded["kept"]
    keys_before = referenced_keys(services)
    assert keys_before <= services.bucket_keys()
    records_before = services.scalar("select count(*) from retention_destructionrecord")
    last_record = services.scalar("select coalesce(max(id), 0) from retention_destructionrecord")
    children_before = services.scalar("select count(*) from daycare_child")

    stack.send_task("retention.tasks.run_retention_task")
    wait_for(
        lambda: (
            services.scalar("select count(*) from retention_destructionrecord") > records_before
        ),
        timeout=60,
        interval=0.02,
        what="the first batch of the retention run",
    )
    stack.processes["worker"].kill()
    killed_at = time.monotonic()

    remaining = services.scalar("select count(*) from daycare_child where id = any(%s)", (due,))
    queued = services.scalar(QUEUED)
    assert remaining or queued, "the run had finished before the kill: make it longer"
    # Nothing early, whatever the moment of the kill.
    assert services.scalar("select count(*) from daycare_child where id = any(%s)", (kept,)) == (
        len(kept)
    )

    assert services.scalar("select count(*) from retention_retentionrun where finished_at is null")
    worker = stack.start_worker()
    started_at = time.monotonic()
    # Beat's retention-resume (every 6 s here, every minute in production) finds the unfinished
    # run, whose worker's lock went with its database connection, and carries it on.
    wait_for(
        lambda: (
            services.scalar("select count(*) from daycare_child where id = any(%s)", (due,)) == 0
            and services.scalar(QUEUED) == 0
            and services.scalar(
                "select count(*) from retention_retentionrun where finished_at is null"
            )
            == 0
        ),
        timeout=60,
        what="the retention run to be carried on by the new worker",
    )
    done_at = time.monotonic()
    print(
        f"retention: {remaining} due children left at the kill; done {done_at - killed_at:.1f} s"
        f" after the kill, {done_at - started_at:.1f} s after the new worker was ready"
        " (visibility timeout 600 s)"
    )
    assert "an unfinished run without a worker, carrying on" in worker.log_text()
    forget_killed_messages(services)

    assert services.scalar("select count(*) from daycare_child where id = any(%s)", (kept,)) == (
        len(kept)
    )
    assert services.scalar(
        "select count(*) from diary_diaryday where child_id = any(%s)", (kept,)
    ) == len(kept)
    # Each child destroyed exactly once: the records of this run count what disappeared.
    destroyed = services.scalar(
        "select coalesce(sum(children), 0) from retention_destructionrecord where id > %s",
        (last_record,),
    )
    gone = children_before - services.scalar("select count(*) from daycare_child")
    assert destroyed == gone and gone >= len(due)
    # The group photo stays for the child who remains, without the destroyed child's tag.
    assert services.sql(
        "select child_id from photos_phototag where photo_id = %s", (seeded["group_photo"],)
    ) == [(seeded["kept_child_in_group_photo"],)]
    assert_bucket_matches_database(services)
    assert (
        services.scalar("select count(*) from photos_photo where id = %s", (seeded["group_photo"],))
        == 1
    )


def test_it_finishes_photo_variants_killed_in_the_middle(stack_with, services):
    # A visibility timeout longer than a worker takes to start, so that the killed task comes
    # back through the running worker's periodic look (every 10 s), as it would on a machine
    # whose other workers keep running; the sweeper stays out of it (600 s).
    stack = stack_with(CELERY_VISIBILITY_TIMEOUT="20", PHOTOS_VARIANTS_SWEEP_AFTER="600")
    codes = stack.codes()
    stack.processes["worker"].kill()  # the tasks wait in Redis while the photos arrive
    sanne = Person(stack.url(0)).log_in("sanne@example.org")
    photo_codes, _batch = upload(
        sanne, codes["groep_a"], [jpeg((3200, 2400), seed=n) for n in range(12)]
    )

    def with_variants() -> int:
        return services.scalar(
            "select count(*) from photos_photo where code = any(%s)"
            " and thumb_key <> '' and display_key <> ''",
            (photo_codes,),
        )

    stack.start_worker(concurrency=1)
    wait_for(lambda: with_variants() >= 2, timeout=60, interval=0.02, what="two photos done")
    stack.processes["worker"].kill()
    killed_at = time.monotonic()
    assert with_variants() < len(photo_codes), "all were done before the kill: use more photos"

    stack.start_worker()
    started_at = time.monotonic()
    # The rest go at once; the killed task's photo comes back once the visibility timeout (set
    # through production's CELERY_VISIBILITY_TIMEOUT) has passed, found by the running worker
    # within 10 s (portal/settings.py), and takes a few seconds to make.
    visibility = int(stack.env["CELERY_VISIBILITY_TIMEOUT"])
    wait_for(
        lambda: with_variants() == len(photo_codes),
        timeout=visibility + 10 + 20,
        what="the new worker to make the remaining variants",
    )
    done_at = time.monotonic()
    print(
        f"variants: done {done_at - killed_at:.1f} s after the kill,"
        f" {done_at - started_at:.1f} s after the new worker was ready"
        f" (visibility timeout {visibility} s)"
    )
    assert done_at - killed_at < visibility + 10 + 20
    # Half-made files of the killed task wait in the deletion queue for their grace period
    # (FILES_RESERVATION_SECONDS), then go with the periodic clean-up.
    wait_for(
        lambda: (
            services.scalar(
                "select count(*) from files_pendingfiledeletion where not_before > now()"
            )
            == 0
        ),
        timeout=30,
        what="the grace period of half-made files",
    )
    stack.send_task("files.tasks.delete_pending_files_task")
    wait_for(
        lambda: services.scalar(QUEUED) == 0,
        timeout=60,
        what="the deletion queue to be empty",
    )
    assert_bucket_matches_database(services)
