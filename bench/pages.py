#!/usr/bin/env python
"""Load the portal's main pages the production way and compare them with the stack's ceiling.

    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/bench

Serves the portal with gunicorn sync workers (DEBUG off, PostgreSQL through the psycopg pool,
Redis when ``--redis-url`` is given) on 127.0.0.1, logs in the benchmark users of a database
filled by ``bench/seed_scale.py`` through the real login forms (TOTP for staff), and loads each
page with wrk (16 connections, ``--seconds`` each) after the liveness endpoint, which gives
the ceiling of this stack on this machine. For every page: requests/s, p50, p99, the ratio to
the ceiling, and the median CPU time per request measured inside Python (``Server-Timing``).

``--compare URL URL`` runs the same pages against two more databases (a PostgreSQL and a
SQLite database seeded with the same ``--children``) for the PostgreSQL/SQLite budget.

Results go to ``bench/results/<UTC date>-pages.json``; ``--write-docs`` puts the table into
``docs/performance.md`` between its ``bench:pages`` markers.
"""

import argparse
import contextlib
import json
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

ROOT = harness.ROOT
RESULTS = ROOT / "bench" / "results"
SEEDS = RESULTS / "seed.json"
DOCS = ROOT / "docs" / "performance.md"
BENCH_PASSWORD = "portal-bench"  # the same as bench/seed_scale.py
BENCH_TOTP_SECRET = "OUDERPORTAALBENCHTOTPSECRET23456"

# key, label, who, path template (filled from the seed's codes)
PAGES = [
    ("ceiling", "liveness endpoint (ceiling)", None, "/health/live/"),
    # The same endpoint with the parent's session cookie: the ceiling of an authenticated
    # request (session and user read, the middleware around every request; issue 16).
    (
        "ceiling_auth",
        "liveness, parent's session cookie (authenticated ceiling)",
        "parent",
        "/health/live/",
    ),
    ("home", "parent home (Vandaag)", "parent", "/"),
    # The request parents make most (a gallery page asks 48): a photo of the bench child
    # found on the photo month page at run time.
    ("thumb", "one thumbnail (parent)", "parent", "/photos/p/{thumb_photo}/thumb/"),
    ("timeline", "parent diary timeline (this week)", "parent", "/diary/{bench_child}/"),
    ("photos", "parent photo month", "parent", "/photos/child/{bench_child}/?month={photo_month}"),
    ("inbox", "parent message inbox", "parent", "/messaging/"),
    ("news", "parent news list", "parent", "/newsletters/"),
    ("staff_group", "staff group page", "worker", "/staff/groups/{bench_group}/"),
    ("staff_diary_day", "staff diary day (group)", "worker", "/staff/diary/groups/{bench_group}/"),
    ("staff_absences", "staff day overview (absences)", "worker", "/staff/absences/"),
    ("staff_inbox", "staff group inbox", "worker", "/staff/messaging/groups/{bench_group}/"),
    ("manager_absences", "manager day overview (location)", "manager", "/staff/absences/"),
]
USERS = {
    "parent": "bench-parent@example.org",
    "worker": "bench-worker@example.org",
    "manager": "bench-manager@example.org",
}
BUDGET_TIMELINE_P99_MS = 100
BUDGET_TIMELINE_SHARE = 0.10
BUDGET_PG_VS_SQLITE = 0.9
# issue 16
ALWAYS = {"ceiling", "ceiling_auth"}
BUDGET_THUMB_SHARE_OF_AUTH = 0.50
BUDGET_THUMB_CPU_MS = 2.0
BUDGET_PARENT_PAGES = ("home", "timeline", "photos")
BUDGET_PAGE_SHARE = 0.10
BUDGET_PAGE_P99_MS = 100
THUMB_RE = re.compile(r"/photos/p/([A-Za-z0-9_-]+)/thumb/")


def safe_url(url: str) -> str:
    """The key bench/seed_scale.py stores a database's seed info under (no credentials)."""
    return url.split("@")[-1]


def seed_info(url: str) -> dict:
    seeds = json.loads(SEEDS.read_text()) if SEEDS.exists() else {}
    info = seeds.get(safe_url(url))
    if info is None:
        raise SystemExit(
            f"No seed recorded for {safe_url(url)}: run bench/seed_scale.py against it first."
        )
    return info


_last_totp_window: dict[str, int] = {}


def login(base: str, who: str) -> requests.Session:
    email = USERS[who]
    if who != "parent":
        # a TOTP code is accepted once per 30 s window per user; wait for a fresh one
        window = int(time.time() // 30)
        if _last_totp_window.get(email) == window:
            time.sleep(30 - time.time() % 30 + 0.5)
        _last_totp_window[email] = int(time.time() // 30)
    return harness.login(
        base, email, BENCH_PASSWORD, None if who == "parent" else BENCH_TOTP_SECRET
    )


def _env(url: str, args, settings_module: str = "") -> dict:
    env = harness.production_env(
        DATABASE_URL=url,
        REDIS_URL=args.redis_url,
        CELERY_TASK_ALWAYS_EAGER="1",
        DATABASE_POOL_MIN=1,
        DATABASE_POOL_MAX=4,
        WEB_CONCURRENCY=args.workers,
        MEDIA_ROOT=args.media_root,
    )
    if not args.redis_url:
        env.pop("REDIS_URL", None)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env


def measure(base: str, session, key: str, title: str, who, path: str, args) -> dict:
    check = session.get(base + path, timeout=120, allow_redirects=False)
    if check.status_code != 200:
        raise SystemExit(f"{title}: {path} answered {check.status_code}, not 200")
    size = len(check.content)
    cookie = harness.cookie_header(session) if who else ""
    # warm up every worker, then the timed run
    harness.wrk(base + path, cookie=cookie, seconds=1, connections=args.connections, timeout=2)
    load = harness.wrk(
        base + path,
        cookie=cookie,
        seconds=args.seconds,
        connections=args.connections,
        timeout=args.timeout,
    )
    load["timeout_s"], load["seconds"] = args.timeout, args.seconds
    timing = harness.server_timing(session, base + path, samples=args.cpu_samples)
    row = {"key": key, "page": title, "path": path, "who": who, "bytes": size, **load}
    row.update(timing)
    row["load_average"] = os.getloadavg()
    return row


def run_codes(base: str, sessions: dict, info: dict) -> dict:
    """Codes found at run time: a photo on the bench child's photo month that the parent may
    see (its thumbnail is the thumbnail page)."""
    parent = sessions.get("parent")
    if parent is None:
        return {}
    url = f"{base}/photos/child/{info['bench_child']}/?month={info['photo_month']}"
    match = THUMB_RE.search(parent.get(url, timeout=120).text)
    if match is None:
        raise SystemExit(f"No thumbnail on {url}: is the consent projection built?")
    return {"thumb_photo": match.group(1)}


def run_targets(specs: list[dict], args) -> list[dict]:
    """Serve every target at once (one gunicorn each, on its own port) and load them page by
    page in turn, so that a comparison between targets is measured minutes apart at most,
    under the same conditions of a shared machine. A spec: label, url, role, and optionally
    settings (a settings module) and only (page keys)."""
    targets = []
    with contextlib.ExitStack() as stack:
        for n, spec in enumerate(specs):
            info = seed_info(spec["url"])
            env = _env(spec["url"], args, spec.get("settings", ""))
            base = stack.enter_context(
                harness.server(
                    env,
                    workers=args.workers,
                    bind=f"127.0.0.1:{args.port + n}",
                    timeout=args.start_timeout,
                )
            )
            only = spec.get("only") or args.only
            needed = {
                who
                for key, _t, who, _p in PAGES
                if who and (not only or key in only or key in ALWAYS)
            }
            sessions = {
                who: login(base, who) for who in ("parent", "worker", "manager") if who in needed
            }
            targets.append(
                {
                    "label": spec["label"],
                    "role": spec["role"],
                    "database": safe_url(spec["url"]),
                    "seed": {**info, **run_codes(base, sessions, info)},
                    "settings": spec.get("settings") or "portal.settings",
                    "load_average_at_start": os.getloadavg(),
                    "pages": [],
                    "_base": base,
                    "_sessions": sessions,
                    "_only": only,
                }
            )
        for key, title, who, template in PAGES:
            for target in targets:
                only = target["_only"]
                if only and key not in only and key not in ALWAYS:
                    continue
                session = target["_sessions"][who] if who else requests.Session()
                path = template.format(**target["seed"])
                row = measure(target["_base"], session, key, title, who, path, args)
                target["pages"].append(row)
                print(
                    f"  {target['role']:<14} {title:<36} {row['rps']:8.1f} req/s"
                    f"  p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
                    f"  cpu {row['cpu_ms']:6.2f} ms  app {row['app_ms']:7.1f} ms"
                    f"  non-2xx {row['non_2xx']}  timeouts {row['timeouts']}",
                    flush=True,
                )
    for target in targets:
        for name in ("_base", "_sessions", "_only"):
            del target[name]
        target["load_average_at_end"] = os.getloadavg()
        ceiling = next(r["rps"] for r in target["pages"] if r["key"] == "ceiling")
        auth = next((r["rps"] for r in target["pages"] if r["key"] == "ceiling_auth"), None)
        for row in target["pages"]:
            row["share_of_ceiling"] = row["rps"] / ceiling if ceiling else None
            row["share_of_auth_ceiling"] = row["rps"] / auth if auth else None
    return targets


def machine() -> dict:
    import platform

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    pg = ""
    try:
        import subprocess

        pg = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "postgresql_client": pg,
        "load_average_at_start": load,
    }


def budgets(result: dict) -> list[dict]:
    main = result["targets"][0]
    pages = {r["key"]: r for r in main["pages"]}
    out = []
    timeline = pages.get("timeline")
    if timeline:
        out.append(
            {
                "budget": f"parent timeline p99 < {BUDGET_TIMELINE_P99_MS} ms at "
                f"{result['connections']} connections",
                "figure": p99_text(timeline),
                "met": timeline["p99_ms"] < BUDGET_TIMELINE_P99_MS
                and not timeline["non_2xx"]
                and not timeline["timeouts"],
            }
        )
        out.append(
            {
                "budget": f"parent timeline >= {BUDGET_TIMELINE_SHARE:.0%} of the ceiling's req/s",
                "figure": f"{timeline['share_of_ceiling']:.1%}",
                "met": timeline["share_of_ceiling"] >= BUDGET_TIMELINE_SHARE,
            }
        )
    thumb = pages.get("thumb")
    if thumb and thumb.get("share_of_auth_ceiling") is not None:
        out.append(
            {
                "budget": f"thumbnail >= {BUDGET_THUMB_SHARE_OF_AUTH:.0%} of the liveness "
                "endpoint with the same session cookie",
                "figure": f"{thumb['share_of_auth_ceiling']:.1%} ({thumb['rps']:.0f} of "
                f"{pages['ceiling_auth']['rps']:.0f} req/s)",
                "met": thumb["share_of_auth_ceiling"] >= BUDGET_THUMB_SHARE_OF_AUTH,
            }
        )
        out.append(
            {
                "budget": f"thumbnail <= {BUDGET_THUMB_CPU_MS:g} ms CPU in Python per request",
                "figure": f"{thumb['cpu_ms']:.2f} ms",
                "met": thumb["cpu_ms"] <= BUDGET_THUMB_CPU_MS,
            }
        )
    for key in BUDGET_PARENT_PAGES:
        row = pages.get(key)
        if not row:
            continue
        out.append(
            {
                "budget": f"{row['page']} >= {BUDGET_PAGE_SHARE:.0%} of the ceiling's req/s",
                "figure": f"{row['share_of_ceiling']:.1%} ({row['rps']:.0f} req/s)",
                "met": row["share_of_ceiling"] >= BUDGET_PAGE_SHARE,
            }
        )
        out.append(
            {
                "budget": f"{row['page']} p99 < {BUDGET_PAGE_P99_MS} ms at "
                f"{result['connections']} connections",
                "figure": p99_text(row),
                "met": row["p99_ms"] < BUDGET_PAGE_P99_MS
                and not row["non_2xx"]
                and not row["timeouts"],
            }
        )
    compare = [t for t in result["targets"] if t.get("role") in ("compare_pg", "compare_sqlite")]
    if [t["role"] for t in compare] == ["compare_sqlite"]:
        compare = [main, compare[0]]  # --sqlite: the main database is the PostgreSQL side
    if len(compare) == 2:
        pg, lite = compare
        lite_pages = {r["key"]: r for r in lite["pages"]}
        for row in pg["pages"]:
            other = lite_pages.get(row["key"])
            if row["key"] == "ceiling" or not other:
                continue
            ratio = row["rps"] / other["rps"] if other["rps"] else float("nan")
            out.append(
                {
                    "budget": f"{row['page']}: PostgreSQL >= {BUDGET_PG_VS_SQLITE}x SQLite req/s",
                    "figure": f"{ratio:.2f}x ({row['rps']:.0f} vs {other['rps']:.0f} req/s)",
                    "met": ratio >= BUDGET_PG_VS_SQLITE,
                }
            )
    return out


def p99_text(row: dict) -> str:
    if not row.get("requests"):
        return f"none completed in {row['seconds']} s"
    if row.get("timeouts"):
        return f"> {row['timeout_s']} s ({row['timeouts']} of {row['requests']} timed out)"
    return f"{row['p99_ms']:.1f} ms"


def table(target: dict) -> str:
    lines = [
        "| page | who | req/s | p50 ms | p99 | share of ceiling | share of authenticated "
        "ceiling | CPU ms | wall ms | KB | load |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in target["pages"]:
        load = r.get("load_average")
        auth = r.get("share_of_auth_ceiling")
        lines.append(
            f"| {r['page']} | {r['who'] or '-'} | {r['rps']:.1f} | {r['p50_ms']:.1f} "
            f"| {p99_text(r)} | {r['share_of_ceiling']:.1%} "
            f"| {f'{auth:.1%}' if auth is not None else '-'} | {r['cpu_ms']:.2f} "
            f"| {r['app_ms']:.1f} | {r['bytes'] / 1024:.0f} "
            f"| {f'{load[0]:.2f}' if load else '-'} |"
        )
    return "\n".join(lines)


def markdown(result: dict) -> str:
    m = result["machine"]
    parts = [
        f"Run {result['date']} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        f"{m['postgresql_client']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average_at_start'] or [])}. "
        f"gunicorn {result['workers']} sync workers, wrk {result['connections']} connections "
        f"x {result['seconds']} s per page, Redis {'on' if result['redis'] else 'off'}. "
        "The targets are served side by side and loaded page by page in turn; the load column "
        "is the 1-minute load average when the page's measurement ended.",
    ]
    if result.get("note"):
        parts.append(f"**{result['note']}**")
    for target in result["targets"]:
        seed = target["seed"]
        parts.append(
            f"**{target['label']}** ({target['database']}, {seed['children']:,} children, "
            f"{sum(seed['rows'].values()):,} rows):\n\n{table(target)}"
        )
    lines = ["| budget | figure | met |", "|---|---|---|"]
    for b in result["budgets"]:
        lines.append(f"| {b['budget']} | {b['figure']} | {'yes' if b['met'] else '**no**'} |")
    parts.append("Budgets from this run:\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def write_docs(result: dict) -> None:
    text = DOCS.read_text()
    start, end = "<!-- bench:pages:start -->", "<!-- bench:pages:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{DOCS} lacks the {start} / {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    DOCS.write_text(f"{head}{start}\n{markdown(result)}\n{end}{tail}")
    print(f"Updated {DOCS.relative_to(ROOT)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the scaled database")
    parser.add_argument("--compare", nargs=2, metavar=("POSTGRES_URL", "SQLITE_URL"))
    parser.add_argument(
        "--sqlite",
        metavar="SQLITE_URL",
        help="a SQLite database seeded like --database-url: the PostgreSQL/SQLite budget "
        "against the main run, without a third target",
    )
    parser.add_argument("--redis-url", default="", help="e.g. redis://127.0.0.1:6379/10")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cpu-samples", type=int, default=50)
    parser.add_argument("--timeout", type=int, default=10, help="wrk: a slower request fails")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument(
        "--start-timeout", type=float, default=120, help="seconds for gunicorn to come up"
    )
    parser.add_argument("--only", nargs="*", help="page keys to run (the ceiling always runs)")
    parser.add_argument("--note", default="", help="a remark printed above the tables")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--media-root", default="/tmp/bench-media")
    parser.add_argument(
        "--usersessions-ab",
        action="store_true",
        help="also run the parent pages with allauth's per-request session tracking",
    )
    parser.add_argument("--output", help="JSON file (default bench/results/<date>-pages.json)")
    args = parser.parse_args(argv)

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "redis": bool(args.redis_url),
        "note": args.note,
    }
    specs = [{"label": "PostgreSQL, scaled data", "url": args.database_url, "role": "main"}]
    if args.usersessions_ab:
        specs.append(
            {
                "label": "PostgreSQL, scaled data, allauth's session tracking on every request",
                "url": args.database_url,
                "role": "usersessions_ab",
                "settings": "bench.settings_allauth_tracking",
                "only": ["home", "timeline", "inbox"],
            }
        )
    if args.compare:
        pg_url, sqlite_url = args.compare
        specs.append({"label": "PostgreSQL, comparison size", "url": pg_url, "role": "compare_pg"})
        specs.append(
            {"label": "SQLite, comparison size", "url": sqlite_url, "role": "compare_sqlite"}
        )
    if args.sqlite:
        specs.append(
            {"label": "SQLite, the same size", "url": args.sqlite, "role": "compare_sqlite"}
        )
    result["targets"] = run_targets(specs, args)
    result["budgets"] = budgets(result)
    RESULTS.mkdir(exist_ok=True)
    out = Path(args.output) if args.output else RESULTS / f"{result['date'][:10]}-pages.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {out}")
    for b in result["budgets"]:
        print(f"  {'ok ' if b['met'] else 'NO '} {b['budget']}: {b['figure']}")
    if args.write_docs:
        write_docs(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
