#!/usr/bin/env python
"""Count and time the SQL queries of each benchmarked page on a seeded database (issue 10).

    .venv/bin/python bench/queries.py --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/queries.py --database-url ... --only timeline --explain

Renders every page of ``bench/pages.py`` in-process (Django's test client, DEBUG off, the
benchmark users of ``bench/seed_scale.py``) and prints, per page, the number of queries, their
total database time and the slowest ones; ``--explain`` adds PostgreSQL's ``EXPLAIN ANALYZE`` of
the slowest query of each page. Run against two databases seeded at different sizes, the query
counts must be equal (the "fixed number of queries" budget; ``tests/perf`` asserts the same in
the suite). ``--json`` prints the counts as JSON for ``bench/all.py``.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import harness
import pages


def setup(database_url: str) -> None:
    env = harness.production_env(DATABASE_URL=database_url, CELERY_TASK_ALWAYS_EAGER="1")
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    # As harness.server() does: the schema of this checkout (a database seeded by an older one
    # lacks the newer migrations), and the static files, which the pages link through the
    # manifest (it does not exist on a fresh checkout until collectstatic has run).
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def client_for(who: str):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    user = User.objects.get(email=pages.USERS[who])
    client.force_login(user, backend="portal.backends.ModelBackend")
    if who != "parent":
        session = client.session
        now = time.time()
        session["account_authentication_methods"] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def thumb_photo(client, info: dict) -> str:
    """A photo the parent sees on the bench child's photo month (as ``pages.run_codes``)."""
    page = client.get(f"/photos/child/{info['bench_child']}/?month={info['photo_month']}")
    match = pages.THUMB_RE.search(page.content.decode())
    if match is None:
        raise SystemExit("No thumbnail on the photo month: is the consent projection built?")
    return match.group(1)


def measure(database_url: str, only=None, explain: bool = False, repeat: int = 2) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    info = pages.seed_info(database_url)
    clients = {}
    out = []
    for key, title, who, template in pages.PAGES:
        if who is None or (only and key not in only):
            continue
        client = clients.get(who) or clients.setdefault(who, client_for(who))
        if "{thumb_photo}" in template and "thumb_photo" not in info:
            info["thumb_photo"] = thumb_photo(client, info)
        path = template.format(**info)
        for _ in range(repeat):  # the last run counts: sessions and caches are warm then
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                wall = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{title}: {path} answered {response.status_code}")
        queries = [
            {"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured.captured_queries
        ]
        row = {
            "key": key,
            "page": title,
            "queries": len(queries),
            "db_ms": sum(q["ms"] for q in queries),
            "wall_ms": wall,
            "slowest": sorted(queries, key=lambda q: -q["ms"])[:3],
        }
        if explain and connection.vendor == "postgresql" and queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + row["slowest"][0]["sql"])
                row["plan"] = "\n".join(r[0] for r in cursor.fetchall())
        out.append(row)
    return out


def profile(database_url: str, only, n: int) -> int:
    """pyinstrument's view of ``n`` renders of each page (``pip install pyinstrument`` into
    .venv first; it is not a dependency of the project)."""
    from pyinstrument import Profiler

    info = pages.seed_info(database_url)
    for key, title, who, template in pages.PAGES:
        if who is None or (only and key not in only):
            continue
        client = client_for(who)
        path = template.format(**info)
        client.get(path)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(n):
            client.get(path)
        profiler.stop()
        print(f"== {title} ({n} renders)")
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print the slowest queries' SQL")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile N renders of each page (pyinstrument)"
    )
    args = parser.parse_args(argv)
    setup(args.database_url)
    if args.profile:
        return profile(args.database_url, args.only, args.profile)
    rows = measure(args.database_url, args.only, args.explain)
    if args.json:
        print(json.dumps([{k: r[k] for k in ("key", "queries", "db_ms", "wall_ms")} for r in rows]))
        return 0
    for r in rows:
        print(
            f"{r['page']:<36} {r['queries']:>3} queries {r['db_ms']:8.1f} ms in SQL"
            f" {r['wall_ms']:8.1f} ms in all"
        )
        if args.sql or args.explain:
            for q in r["slowest"]:
                print(f"    {q['ms']:8.1f} ms  {q['sql'][:2000]}")
        if r.get("plan"):
            print("    " + r["plan"].replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
