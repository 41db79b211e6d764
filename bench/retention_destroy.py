#!/usr/bin/env python
"""Retention benchmark (issue 10, R18): destroy N children (default 10,000) with 20 diary
entries and 50 photos each (original, display and thumbnail files on disk) on PostgreSQL,
against a raw-SQL delete of the same rows and files in the same run.

    .venv/bin/python bench/retention_destroy.py --children 10000 1000

For each size it fills a template database ``retention_<N>_tpl`` and a media directory once
(COPY through ``bench/seed_scale.py``'s loader; kept for later runs, ``--regenerate`` makes them
again), then, each from a fresh copy (``CREATE DATABASE ... TEMPLATE``, media hard-linked):

- ``portal``: one retention day, ``retention.engine.run`` (what ``manage.py run_retention`` and
  Celery beat run): batches of 200 children, records and the keys of their files in one
  transaction each, files deleted after the batches;
- ``raw``: the lower bound: the same rows removed with one hand-written ``DELETE`` per table in
  a single transaction, then the same files unlinked with ``os.unlink``.

Each runs in a fresh process: wall time, SQL statements, peak RSS (``ru_maxrss``) and peak RSS
above the process after start-up; results go to ``bench/results/<date>-retention.json``. The
databases are the runner's own (``retention_*``), never ``test*`` or ``ouderportaal``.
"""

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TODAY = date(2026, 11, 25)
ENDED = date(2025, 6, 30)
DIARY = 20
PHOTOS = 50
SERVER = "postgres://postgres@127.0.0.1:5432"
MEDIA_BASE = Path("/tmp/retention-bench")


def db_url(name: str) -> str:
    return f"{SERVER}/{name}"


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(db_url("postgres"), autocommit=True) as conn:
        conn.execute(statement)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(db_url("postgres"), autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def setup_django(database_url: str, media: Path) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    # production settings (DEBUG off: no query log), Celery eager: the files task runs inline
    os.environ.update(
        harness.production_env(
            DATABASE_URL=database_url, MEDIA_ROOT=str(media), CELERY_TASK_ALWAYS_EAGER="1"
        )
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


# --- generate (child process) -------------------------------------------------------------


def generate(n: int, database_url: str, media: Path) -> None:
    """Fill an empty, migrated database and ``media`` with N children due for destruction."""
    setup_django(database_url, media)
    from django.core.management import call_command
    from django.db import connection
    from seed_scale import Loader

    from accounts.models import User
    from daycare.models import CareContract, Child, Group, Guardianship, Location
    from diary.models import DiaryDay, DiaryEntry
    from files.keys import new_key
    from photos.models import Photo, PhotoTag

    assert connection.vendor == "postgresql", "run the benchmark on PostgreSQL"
    call_command("migrate", verbosity=0)
    loader = Loader(log=lambda text: print(text, flush=True))
    started = time.perf_counter()
    loader.load(
        Location,
        ["id", "name", "street", "postal_code", "city", "phone", "email"],
        [(1, "Bench", "Straat 1", "1234 AB", "Utrecht", "030 1", "bench@example.org")],
    )
    groups = max(1, n // 30)
    group_rows = ((g, 1, f"G{g}") for g in range(1, groups + 1))
    loader.load(Group, ["id", "location_id", "name"], group_rows)
    now = datetime.now(UTC)
    loader.load(
        User,
        ["id", "email", "first_name", "last_name", "date_joined"],
        ((i, f"r{i}@example.org", "B", "Bench", now) for i in range(1, n + 1)),
    )
    group_of = {c: (c - 1) % groups + 1 for c in range(1, n + 1)}
    loader.load(
        Child,
        ["id", "first_name", "last_name", "date_of_birth", "group_id"],
        ((c, f"B{c}", "Bench", date(2022, 1, 1), group_of[c]) for c in range(1, n + 1)),
    )
    loader.load(
        CareContract,
        ["id", "child_id", "group_id", "start_date", "end_date"],
        ((c, c, group_of[c], date(2023, 1, 2), ENDED) for c in range(1, n + 1)),
    )
    loader.load(Guardianship, ["id", "user_id", "child_id"], ((c, c, c) for c in range(1, n + 1)))
    loader.load(
        DiaryDay,
        ["id", "child_id", "date"],
        (
            ((c - 1) * DIARY + d + 1, c, ENDED - timedelta(days=d))
            for c in range(1, n + 1)
            for d in range(DIARY)
        ),
    )
    loader.load(
        DiaryEntry,
        ["id", "day_id", "kind", "text", "items", "created_at"],
        ((i, i, "staff", "Vandaag buiten gespeeld.", "{}", now) for i in range(1, n * DIARY + 1)),
    )
    files = 0
    dirs = set()

    def photos():
        nonlocal files
        for c in range(1, n + 1):
            for p in range(PHOTOS):
                keys = [new_key("photos", "jpg") for _ in range(3)]
                for key in keys:
                    path = media / key
                    if path.parent not in dirs:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        dirs.add(path.parent)
                    path.write_bytes(b"\xff\xd8 bench \xff\xd9")
                files += 3
                yield ((c - 1) * PHOTOS + p + 1, group_of[c], "bench", now, *keys, 1600, 1200)

    loader.load(
        Photo,
        [
            "id",
            "group_id",
            "batch",
            "taken_at",
            "original_key",
            "display_key",
            "thumb_key",
            "width",
            "height",
        ],
        photos(),
    )
    loader.load(
        PhotoTag,
        ["id", "photo_id", "child_id", "tagged_at"],
        ((i, i, (i - 1) // PHOTOS + 1, now) for i in range(1, n * PHOTOS + 1)),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps({"children": n, "files": files, "seconds": time.perf_counter() - started}),
        flush=True,
    )


# --- the two ways of destroying (child process) --------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_calls(names: list[str]) -> dict[str, float]:
    """Wrap these functions of ``files.services`` wherever they were imported, adding up the
    wall time spent in them (outermost calls only) for the breakdown of a run."""
    import files.services

    spent = dict.fromkeys(names, 0.0)
    depth = {"n": 0}
    for name in names:
        original = getattr(files.services, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            depth["n"] += 1
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                depth["n"] -= 1
                if depth["n"] == 0:
                    spent[_name] += time.perf_counter() - started

        for module in list(sys.modules.values()):
            if getattr(module, name, None) is original:
                setattr(module, name, timed)
    return spent


def run_portal(database_url: str, media: Path) -> dict:
    setup_django(database_url, media)
    from django.db import connection

    from retention import engine

    connection.ensure_connection()
    # The retention modules were imported at start-up (retention/apps.py), before the baseline.
    spent = time_calls(["files_queue_deletion", "files_delete_pending"])
    before = _rss_mb()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        report = engine.run(today=TODAY)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "seconds_queueing_keys": spent["files_queue_deletion"],
        "seconds_deleting_files": spent["files_delete_pending"],
        "queries": counter.count,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_startup_mb": before,
        "destroyed": report.destroyed,
        "batches": report.batches,
        "accounts_erased": report.accounts_erased,
        "files_deleted": report.files_deleted,
        "counts": dict(sorted(report.counts.items())),
    }


RAW_SQL = [
    # children whose last contract ended on or before the cut-off and none running
    (
        "ids",
        "SELECT c.id FROM daycare_child c JOIN daycare_carecontract k ON k.child_id = c.id "
        "GROUP BY c.id HAVING max(k.end_date) <= %(cutoff)s "
        "AND count(*) FILTER (WHERE k.end_date IS NULL OR k.end_date >= %(today)s) = 0",
    ),
    (
        "photos",
        "SELECT p.id, p.original_key, p.display_key, p.thumb_key FROM photos_photo p "
        "WHERE EXISTS (SELECT 1 FROM photos_phototag t WHERE t.photo_id = p.id "
        "AND t.child_id = ANY(%(ids)s)) AND NOT EXISTS (SELECT 1 FROM photos_phototag t "
        "WHERE t.photo_id = p.id AND NOT t.child_id = ANY(%(ids)s))",
    ),
    (
        "guardians",
        "SELECT DISTINCT user_id FROM daycare_guardianship WHERE child_id = ANY(%(ids)s)",
    ),
    ("", "DELETE FROM photos_phototag WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM photos_photo WHERE id = ANY(%(photo_ids)s)"),
    (
        "",
        "DELETE FROM diary_diaryentry e USING diary_diaryday d "
        "WHERE e.day_id = d.id AND d.child_id = ANY(%(ids)s)",
    ),
    ("", "DELETE FROM diary_diaryday WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM consent_consentdecision WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM absences_absence WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM daycare_guardianship WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM daycare_carecontract WHERE child_id = ANY(%(ids)s)"),
    ("", "DELETE FROM daycare_child WHERE id = ANY(%(ids)s)"),
    (
        "",
        "UPDATE accounts_user u SET email = 'erased-' || u.id || '@invalid', first_name = '', "
        "last_name = '', password = '!', is_active = false WHERE u.id = ANY(%(guardians)s) "
        "AND NOT EXISTS (SELECT 1 FROM daycare_guardianship g WHERE g.user_id = u.id)",
    ),
]


def run_raw(database_url: str, media: Path) -> dict:
    """The same rows with one statement per table in one transaction, then the files."""
    setup_django(database_url, media)
    from django.db import connection, transaction

    connection.ensure_connection()
    before = _rss_mb()
    started = time.perf_counter()
    queries = 0
    params = {"cutoff": TODAY - timedelta(days=365), "today": TODAY}
    keys = []
    deleted = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in RAW_SQL:
            cursor.execute(sql, params)
            queries += 1
            if name == "ids":
                params["ids"] = [row[0] for row in cursor.fetchall()]
            elif name == "photos":
                rows = cursor.fetchall()
                params["photo_ids"] = [row[0] for row in rows]
                keys = [key for row in rows for key in row[1:] if key]
                del rows
            elif name == "guardians":
                params["guardians"] = [row[0] for row in cursor.fetchall()]
            else:
                deleted[sql.split()[2]] = cursor.rowcount
    sql_seconds = time.perf_counter() - started
    for key in keys:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(media / key)
    return {
        "seconds": time.perf_counter() - started,
        "sql_seconds": sql_seconds,
        "queries": queries,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_startup_mb": before,
        "destroyed": len(params["ids"]),
        "files_deleted": len(keys),
        "rows": deleted,
    }


# --- the runner ------------------------------------------------------------------------------


def child(*args) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare(n: int, regenerate: bool, log) -> tuple[str, Path]:
    template = f"retention_{n}_tpl"
    media = MEDIA_BASE / f"{n}-tpl"
    if regenerate or not database_exists(template) or not (media / "photos").exists():
        log(f"generating {n:,} children into {template} and {media} ...")
        admin_sql(f'DROP DATABASE IF EXISTS "{template}"')
        admin_sql(f'CREATE DATABASE "{template}"')
        shutil.rmtree(media, ignore_errors=True)
        media.mkdir(parents=True)
        info = child("generate", str(n), db_url(template), str(media))
        log(f"  generated in {info['seconds']:.0f} s ({info['files']:,} files)")
    return template, media


def fresh_copy(template: str, media: Path, name: str) -> Path:
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    target = MEDIA_BASE / name
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(media), str(target)], check=True)
    return target


def count_files(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def benchmark(sizes: list[int], regenerate: bool = False, log=print) -> dict:
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
        "diary_entries_per_child": DIARY,
        "photos_per_child": PHOTOS,
        "sizes": [],
    }
    for n in sizes:
        template, media = prepare(n, regenerate, log)
        row = {"children": n}
        for mode in ("portal", "raw"):
            name = f"retention_{n}_{mode}"
            copy = fresh_copy(template, media, name)
            files_before = count_files(copy)
            log(f"  {n:,} children, {mode}: destroying ({files_before:,} files) ...")
            data = child(mode, db_url(name), str(copy))
            data["files_before"] = files_before
            data["files_left"] = count_files(copy)
            data["load_average"] = os.getloadavg()
            row[mode] = data
            grown = data["peak_rss_mb"] - data["rss_after_startup_mb"]
            log(
                f"    {data['seconds']:.1f} s, {data['queries']:,} queries, peak RSS "
                f"{data['peak_rss_mb']:.0f} MB (+{grown:.0f} MB after start-up), "
                f"{data['destroyed']:,} children, "
                f"{data['files_deleted']:,} files deleted, {data['files_left']:,} left"
            )
            admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
            shutil.rmtree(copy, ignore_errors=True)
        row["ratio"] = row["portal"]["seconds"] / row["raw"]["seconds"]
        result["sizes"].append(row)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, nargs="+", default=[10_000, 1_000])
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        if mode == "generate":
            generate(int(rest[0]), rest[1], Path(rest[2]))
            return 0
        run = {"portal": run_portal, "raw": run_raw}[mode]
        print(json.dumps(run(rest[0], Path(rest[1]))), flush=True)
        return 0
    result = benchmark(args.children, args.regenerate)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{result['date'][:10]}-retention.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
