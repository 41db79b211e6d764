#!/usr/bin/env python
"""Run every benchmark of issue 10 and write the figures into docs/performance.md.

    .venv/bin/python bench/all.py            # the full run (about 25 minutes, plus waiting)
    .venv/bin/python bench/all.py --quick    # a smoke run: short loads, small sizes

Steps, each bounded in time, each recording the load average:
1. the data: the scaled database (``bench``, 10,000 children: 1/10 of the design scale), a
   1,000-children PostgreSQL and SQLite pair for the comparison, and a small database for the
   photo batch, each filled by ``bench/seed_scale.py`` unless already seeded (``--reseed``);
2. queries per page on the 10,000- and the 1,000-children databases (``bench/queries.py``);
3. a wait until the 1-minute load average is below 1.0 (every 30 s, at most 20 minutes);
4. the pages under load against the liveness ceiling (``bench/pages.py``), with allauth's
   per-request session tracking as an A/B, and PostgreSQL against SQLite;
5. the photo pipeline (``bench/photos_variants.py``) and a 30-photo batch
   (``bench/photos_batch.py``);
6. retention: destroying 10,000 and 1,000 children against raw SQL
   (``bench/retention_destroy.py``).
The figures go to ``bench/results/<date>-all.json`` and into the generated blocks of
docs/performance.md (between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``);
the text around them is kept. Needs ``wrk`` (``apt-get install -y wrk``), PostgreSQL on
127.0.0.1:5432 and Redis on 127.0.0.1:6379 (database 12 only).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
import pages

ROOT = harness.ROOT
PY = str(harness.VENV_BIN / "python")
DOCS = ROOT / "docs" / "performance.md"
RESULTS = ROOT / "bench" / "results"
PG = "postgres://postgres@127.0.0.1:5432"
SCALED = f"{PG}/bench"
COMPARE_PG = f"{PG}/bench_1k"
COMPARE_SQLITE = "sqlite:////tmp/bench-1k.sqlite3"
PHOTOS_DB = f"{PG}/bench_photos"
MEDIA = "/tmp/bench-media"
REDIS = "redis://127.0.0.1:6379/12"  # cache and sessions as in production; never 0-11
SEEDS = {
    # url: (children, extra seed_scale arguments)
    SCALED: (10_000, []),
    COMPARE_PG: (1_000, []),
    COMPARE_SQLITE: (1_000, []),
    PHOTOS_DB: (30, ["--photos-per-child", "5", "--diary-days", "5"]),
}


def log(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S} load {os.getloadavg()[0]:.2f}] {text}", flush=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def preflight() -> None:
    missing = [tool for tool in ("wrk", "psql", "redis-cli") if not shutil.which(tool)]
    if missing:
        raise SystemExit(
            f"Missing {', '.join(missing)}: apt-get install -y wrk postgresql-client redis-tools"
        )


def seeded(url: str, children: int) -> bool:
    info = (
        json.loads(pages.SEEDS.read_text()).get(pages.safe_url(url))
        if pages.SEEDS.exists()
        else None
    )
    if not info or info.get("children") != children:
        return False
    if url.startswith("sqlite:"):
        return Path(url.removeprefix("sqlite:///")).exists()
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) FROM accounts_user WHERE email = 'bench-parent@example.org'"
            ).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def ensure_database(url: str) -> None:
    if url.startswith("sqlite:"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed_all(reseed: bool) -> dict:
    out = {}
    for url, (children, extra) in SEEDS.items():
        if not reseed and seeded(url, children):
            log(f"seeded already: {pages.safe_url(url)} ({children:,} children)")
            out[pages.safe_url(url)] = {"seeded_now": False}
            continue
        ensure_database(url)
        if url.startswith("sqlite:"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        log(f"seeding {pages.safe_url(url)} with {children:,} children ...")
        started = time.monotonic()
        command = [PY, "bench/seed_scale.py", "--children", str(children)]
        subprocess.run(
            [*command, "--database-url", url, *extra, "--reset"],
            cwd=ROOT,
            env={**os.environ, "MEDIA_ROOT": MEDIA},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        took = time.monotonic() - started
        log(f"  seeded in {took:.0f} s")
        out[pages.safe_url(url)] = {"seeded_now": True, "wall_seconds": took}
    return out


def queries(url: str) -> list[dict]:
    out = subprocess.run(
        [PY, "bench/queries.py", "--database-url", url, "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_for_idle(limit_s: int, threshold: float = 1.0) -> dict:
    started = time.monotonic()
    while True:
        load = os.getloadavg()[0]
        if load < threshold:
            return {"reached": True, "waited_s": time.monotonic() - started, "load": load}
        if time.monotonic() - started >= limit_s:
            return {"reached": False, "waited_s": time.monotonic() - started, "load": load}
        log(f"waiting for the 1-minute load average to drop below {threshold} ({uptime()})")
        time.sleep(30)


def machine() -> dict:
    info = pages.machine()
    info["memory_gb"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    info["postgresql_server"] = subprocess.run(
        ["psql", PG + "/postgres", "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    info["wrk"] = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    info["wrk"] = " ".join(info["wrk"].split()[:2])  # "wrk debian/4.1.0-3+b2"
    info["platform"] = platform.platform()
    return info


# --- docs ------------------------------------------------------------------------------------


def fill(text: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    if start not in text:
        return text + f"\n{start}\n{body}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def md_run(r: dict) -> str:
    m = r["machine"]
    idle = r["idle"]
    waited = (
        f"the 1-minute load average was {idle['load']:.2f} after waiting {idle['waited_s']:.0f} s"
        if idle["reached"]
        else f"**the 1-minute load average never fell below 1.0** in "
        f"{idle['waited_s'] / 60:.0f} minutes of waiting ({idle['load']:.2f}); the run went ahead"
    )
    return "\n".join(
        [
            f"- Run: {r['date']} (UTC), `{r['command']}`, {r['seconds'] / 60:.0f} minutes.",
            f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']:.0f} GB, {m['platform']};"
            f" Python {m['python']}; PostgreSQL {m['postgresql_server']};"
            f" {' '.join(m['wrk'].split()[:2])}.",
            "- Other work on the machine is not measured here: the load average says how quiet "
            f"it was. Before the page run {waited}.",
            f"- `uptime` at the start: `{r['uptime_start']}`; before the pages: "
            f"`{r['uptime_pages']}`; at the end: `{r['uptime_end']}`.",
        ]
    )


def md_seed(r: dict) -> str:
    seeds = json.loads(pages.SEEDS.read_text())
    lines = [
        "| database | children | rows | seconds | seeded |",
        "|---|--:|--:|--:|---|",
    ]
    for url in SEEDS:
        info = seeds.get(pages.safe_url(url), {})
        lines.append(
            f"| `{pages.safe_url(url)}` | {info.get('children', 0):,} "
            f"| {sum(info.get('rows', {}).values()):,} | {info.get('seconds', float('nan')):.0f} "
            f"| {info.get('date', '?')} |"
        )
    scaled = seeds.get(pages.safe_url(SCALED), {})
    rows = scaled.get("rows", {})
    lines += [
        "",
        "The scaled database: "
        + ", ".join(
            f"{rows.get(t, 0):,} {label}"
            for t, label in [
                ("daycare_location", "locations"),
                ("daycare_child", "children"),
                ("accounts_user", "users"),
                ("diary_diaryentry", "diary entries"),
                ("photos_photo", "photos"),
                ("photos_phototag", "photo tags"),
                ("messaging_message", "messages"),
            ]
        )
        + f"; seeded in {scaled.get('seconds', float('nan')):.0f} s.",
    ]
    return "\n".join(lines)


def md_queries(r: dict) -> str:
    big = {row["key"]: row for row in r["queries"]["scaled"]}
    small = {row["key"]: row for row in r["queries"]["compare"]}
    lines = [
        "| page | queries, 10,000 children | queries, 1,000 children | same |",
        "|---|--:|--:|---|",
    ]
    titles = {key: title for key, title, _w, _p in pages.PAGES}
    for key, row in big.items():
        other = small.get(key, {}).get("queries")
        lines.append(
            f"| {titles[key]} | {row['queries']} | {other} "
            f"| {'yes' if other == row['queries'] else '**no**'} |"
        )
    return "\n".join(lines)


def md_photos(r: dict) -> str:
    p = r["photos"]
    c = p["cases"]
    b = r["photo_batch"]
    lines = [
        f"One {p['sample']['pixels']} camera JPEG ({p['sample']['mb']:.1f} MB, EXIF "
        f"{p['sample']['exif']}), median of {p['runs']} runs, each case in a fresh process; "
        f"load average {p['load_average'][0]:.2f}.",
        "",
        "| case | median ms | fastest ms | peak memory above start MB | peak RSS MB |",
        "|---|--:|--:|--:|--:|",
    ]
    names = {
        "baseline": "plain Pillow: `draft()`, 1600 + 400 px, orientation last (the baseline)",
        "variants": "the variants task: `photos.services.render_variants` on the stored original",
        "upload": "the upload: `files.uploads.clean_image` (decode, rotate, drop EXIF/GPS, "
        "re-encode)",
    }
    for name, case in c.items():
        lines.append(
            f"| {names[name]} | {case['median_ms']:.0f} | {case['min_ms']:.0f} "
            f"| {case['peak_mb']:.0f} | {case['peak_total']:.0f} |"
        )
    full = c["upload"]["median_ms"] + c["variants"]["median_ms"]
    lines += [
        "",
        f"Variants against the baseline: **{p['time_ratio']:.2f}x the time, "
        f"{p['memory_ratio']:.2f}x the memory**. Upload and variants together: {full:.0f} ms "
        f"({full / c['baseline']['median_ms']:.1f}x the baseline, which makes no clean original).",
        "",
        f"A batch of {b['photos']} such photos, uploaded the way the tablet page does (one file "
        "per request, two at a time) to gunicorn (2 sync workers) with a Celery worker "
        "(prefork, concurrency 2) on Redis: "
        f"**{b['seconds_to_all_variants']:.1f} s from the first upload to the last variant** "
        f"({b['seconds_uploading']:.1f} s uploading; an upload request takes "
        f"{b['upload_median_ms']:.0f} ms median, {b['upload_max_ms']:.0f} ms at most); peak RSS "
        f"of a gunicorn worker {b['peak_rss_gunicorn_worker_mb']:.0f} MB, of a Celery process "
        f"{b['peak_rss_celery_mb']:.0f} MB; load average {b['load_average'][0]:.2f}.",
    ]
    return "\n".join(lines)


def md_retention(r: dict) -> str:
    ret = r["retention"]
    lines = [
        f"Each child has {ret['diary_entries_per_child']} diary entries (days) and "
        f"{ret['photos_per_child']} photos with three files each; a fresh copy of the database "
        "(`CREATE DATABASE ... TEMPLATE`) and of the media directory for every run.",
        "",
        "| children | way | seconds | SQL statements | peak RSS MB | RSS growth MB "
        "| files deleted | files left | load |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in ret["sizes"]:
        for mode, label in (("portal", "portal (`retention.engine.run`)"), ("raw", "raw SQL")):
            d = row[mode]
            files = d["files_before"] - d["files_left"]
            lines.append(
                f"| {row['children']:,} | {label} | {d['seconds']:.1f} | {d['queries']:,} "
                f"| {d['peak_rss_mb']:.0f} | {d['peak_rss_mb'] - d['rss_after_startup_mb']:.0f} "
                f"| {files:,} | {d['files_left']:,} | {d['load_average'][0]:.2f} |"
            )
    lines.append("")
    for row in ret["sizes"]:
        lines.append(
            f"- {row['children']:,} children: the portal takes **{row['ratio']:.2f}x** the raw-SQL "
            f"time."
        )
    for row in ret["sizes"]:
        d, raw = row["portal"], row["raw"]
        if "seconds_queueing_keys" in d:
            rest = d["seconds"] - d["seconds_queueing_keys"] - d["seconds_deleting_files"]
            lines.append(
                f"- Where the portal's {d['seconds']:.1f} s go at {row['children']:,} children: "
                f"{rest:.1f} s deleting the records (and erasing the accounts), "
                f"{d['seconds_queueing_keys']:.1f} s queueing the {d['files_before']:,} storage "
                f"keys in the crash-safe deletion queue, {d['seconds_deleting_files']:.1f} s "
                f"deleting the files and their queue rows; raw SQL: "
                f"{raw['sql_seconds']:.1f} s of SQL and "
                f"{raw['seconds'] - raw['sql_seconds']:.1f} s of `os.unlink`."
            )
    if len(ret["sizes"]) >= 2:
        big, small = ret["sizes"][0], ret["sizes"][-1]
        grow = lambda d: d["peak_rss_mb"] - d["rss_after_startup_mb"]  # noqa: E731
        lines.append(
            f"- Memory at {small['children']:,} and {big['children']:,} children (10x the data): "
            f"{grow(small['portal']):.0f} MB and {grow(big['portal']):.0f} MB above start-up "
            f"(peak RSS {small['portal']['peak_rss_mb']:.0f} and "
            f"{big['portal']['peak_rss_mb']:.0f} MB)."
        )
    return "\n".join(lines)


def budgets(r: dict) -> list[dict]:
    out = []
    big = {row["key"]: row["queries"] for row in r["queries"]["scaled"]}
    small = {row["key"]: row["queries"] for row in r["queries"]["compare"]}
    same = [k for k in big if small.get(k) == big[k]]
    out.append(
        {
            "budget": "every list page a fixed number of queries (tests/perf, tests per app; "
            "10,000 vs 1,000 children)",
            "figure": f"{len(same)} of {len(big)} pages equal",
            "met": len(same) == len(big),
        }
    )
    out += r["pages"]["budgets"]
    p = r["photos"]
    out.append(
        {
            "budget": "photo variants <= 1.2x the Pillow draft() baseline, time and memory",
            "figure": f"{p['time_ratio']:.2f}x time, {p['memory_ratio']:.2f}x memory",
            "met": p["time_ratio"] <= 1.2 and p["memory_ratio"] <= 1.2,
        }
    )
    sizes = r["retention"]["sizes"]
    big_row = sizes[0]
    out.append(
        {
            "budget": "retention destruction <= 1.5x raw SQL "
            f"({big_row['children']:,} children, files included)",
            "figure": f"{big_row['ratio']:.2f}x ({big_row['portal']['seconds']:.1f} s vs "
            f"{big_row['raw']['seconds']:.1f} s)",
            "met": big_row["ratio"] <= 1.5,
        }
    )
    if len(sizes) >= 2:
        grow = [s["portal"]["peak_rss_mb"] - s["portal"]["rss_after_startup_mb"] for s in sizes]
        flat = grow[0] <= max(grow[-1] * 1.5, grow[-1] + 20)
        out.append(
            {
                "budget": "retention memory flat as the data grows 10x",
                "figure": f"+{grow[-1]:.0f} MB at {sizes[-1]['children']:,}, "
                f"+{grow[0]:.0f} MB at {sizes[0]['children']:,} children",
                "met": flat,
            }
        )
    return out


def md_budgets(r: dict) -> str:
    lines = ["| budget | figure | met |", "|---|---|---|"]
    for b in r["budgets"]:
        lines.append(f"| {b['budget']} | {b['figure']} | {'yes' if b['met'] else '**no**'} |")
    return "\n".join(lines)


def write_docs(r: dict) -> None:
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    for name, body in (
        ("run", md_run(r)),
        ("seed", md_seed(r)),
        ("budgets", md_budgets(r)),
        ("pages", pages.markdown(r["pages"])),
        ("queries", md_queries(r)),
        ("photos", md_photos(r)),
        ("retention", md_retention(r)),
    ):
        text = fill(text, name, body)
    DOCS.write_text(text)
    log(f"updated {DOCS.relative_to(ROOT)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (not for the docs)")
    parser.add_argument("--reseed", action="store_true", help="seed every database again")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine")
    parser.add_argument("--wait-minutes", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10, help="wrk seconds per page")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument(
        "--docs-from", metavar="JSON", help="only write the docs from a saved run's results"
    )
    args = parser.parse_args(argv)
    if args.docs_from:
        write_docs(json.loads(Path(args.docs_from).read_text()))
        return 0
    preflight()
    started = time.monotonic()
    r = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/all.py", *(argv or sys.argv[1:])]),
        "uptime_start": uptime(),
        "machine": machine(),
    }
    log("1/6 data")
    r["seeding"] = seed_all(args.reseed)
    log("2/6 queries per page")
    r["queries"] = {"scaled": queries(SCALED), "compare": queries(COMPARE_PG)}
    log("3/6 waiting for a quiet machine")
    r["idle"] = (
        {"reached": False, "waited_s": 0, "load": os.getloadavg()[0], "skipped": True}
        if args.no_wait
        else wait_for_idle(args.wait_minutes * 60)
    )
    r["uptime_pages"] = uptime()
    log("4/6 pages")
    subprocess.run(["redis-cli", "-n", "12", "FLUSHDB"], check=True, capture_output=True)
    out = RESULTS / f"{r['date'][:10]}-pages.json"
    seconds = 3 if args.quick else args.seconds
    pages.main(
        [
            "--database-url",
            SCALED,
            "--compare",
            COMPARE_PG,
            COMPARE_SQLITE,
            "--usersessions-ab",
            "--seconds",
            str(seconds),
            "--cpu-samples",
            "10" if args.quick else "50",
            "--media-root",
            MEDIA,
            "--redis-url",
            REDIS,
            "--output",
            str(out),
        ]
    )
    r["pages"] = json.loads(out.read_text())
    log("5/6 photos")
    import photos_batch
    import photos_variants

    r["photos"] = photos_variants.run(2 if args.quick else 5)
    r["photo_batch"] = photos_batch.run(PHOTOS_DB)
    log("6/6 retention")
    import retention_destroy

    r["retention"] = retention_destroy.benchmark([1_000, 100] if args.quick else [10_000, 1_000])
    r["budgets"] = budgets(r)
    r["uptime_end"] = uptime()
    r["seconds"] = time.monotonic() - started
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{r['date'][:10]}-all.json").write_text(json.dumps(r, indent=2, default=str))
    for b in r["budgets"]:
        log(f"{'ok ' if b['met'] else 'NO '} {b['budget']}: {b['figure']}")
    if not args.no_docs and not args.quick:
        write_docs(r)
    log(f"done in {r['seconds'] / 60:.0f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
