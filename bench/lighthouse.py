#!/usr/bin/env python
"""Lighthouse (mobile) on the parent pages: performance, accessibility and best practices.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--write-docs]

Seeds the demo (``seed_demo``) into a fresh SQLite database in a temporary directory, adds a day
that is going on for Mila (today's diary and three photos, through the app's own services),
serves the portal the production way (gunicorn, DEBUG off, whitenoise) on a free port of
127.0.0.1, logs in as dewi through the real login form and runs the ``lighthouse`` npm package
(bench/lighthouse-npm/package.json, ``npm ci`` there) on each parent page with Debian's
Chromium (``CHROME_PATH``, default
/usr/bin/chromium; never a downloaded browser), in Lighthouse's default mobile mode (emulated
phone, simulated slow 4G and 4x CPU slowdown). The session cookie goes along as an extra header.

Prints one row per page with the three scores (the median of ``--runs``) and, for any score
under 95, the audits that cost points. The JSON reports stay in ``bench/results/lighthouse/``.
``--write-docs`` puts the table into docs/performance.md between its ``bench:lighthouse``
markers. Not part of ``make test`` or CI: it takes a few minutes and its performance score
depends on the machine's load.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

ROOT = harness.ROOT
RESULTS = ROOT / "bench" / "results" / "lighthouse"
DOCS = ROOT / "docs" / "performance.md"
LIGHTHOUSE = ROOT / "bench" / "lighthouse-npm" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
PARENT = "dewi@example.org"
PASSWORD = "portal-demo"  # the demo's (daycare/demo.py)

# key, label, path template (filled with Mila's code)
PAGES = [
    ("today", "Vandaag", "/"),
    ("child_day", "a child's day", "/today/{child}/"),
    ("gallery", "photo gallery", "/photos/child/{child}/"),
    ("timeline", "diary timeline", "/diary/{child}/"),
    ("messages", "messages", "/messaging/"),
    ("more", "Meer", "/more/"),
    ("consent", "consent overview", "/consent/"),
    ("push", "push settings", "/push/"),
]

# Run inside the server's environment after seed_demo: Mila's day so far.
TODAY = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from daycare.models import Child
from diary.services import diary_entry_write
from photos.demo import _picture
from photos.services import photo_batch_start, photo_tags_set, photo_upload

mila = Child.objects.get(first_name="Mila")
sanne = User.objects.get(email="sanne@example.org")
diary_entry_write(
    author=sanne, child=mila, date=timezone.localdate(),
    text="Mila heeft met de blokken een hoge toren gebouwd.",
    items={
        "meals": [{"moment": "breakfast", "amount": "all", "what": "brood met banaan"}],
        "nappies": [{"time": "09:40", "kind": "wet"}],
        "mood": "happy",
        "activities": ["free_play", "music"],
    },
)
batch = photo_batch_start(group=mila.group, worker=sanne)
for seed in (41, 42, 43):
    upload = SimpleUploadedFile(f"IMG_{seed}.jpg", _picture(seed), content_type="image/jpeg")
    with transaction.atomic():
        photo = photo_upload(group=mila.group, uploaded_by=sanne, uploaded_file=upload, batch=batch)
    photo_tags_set(photo=photo, children=[mila], tagged_by=sanne)
print(mila.code)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(harness.VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def lighthouse(url: str, cookie: str, out: Path, chrome: str) -> dict:
    """One Lighthouse run; returns the report (also written to ``out``)."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--extra-headers=" + json.dumps({"Cookie": cookie}),
            "--quiet",
        ],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text())


def losses(report: dict, category: str) -> list[str]:
    """The audits of a category that cost points, largest weight first."""
    audits = report["audits"]
    rows = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            rows.append(
                (
                    ref["weight"],
                    f"{ref['id']} ({audit['score']:.2f}{', ' + value if value else ''})",
                )
            )
    return [text for _weight, text in sorted(rows, reverse=True)]


def table(rows: list[dict]) -> str:
    lines = [
        "| page | path | performance | accessibility | best practices |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        scores = " | ".join(str(row[c]) for c in CATEGORIES)
        lines.append(f"| {row['label']} | `{row['path']}` | {scores} |")
    return "\n".join(lines)


def write_docs(text: str) -> None:
    content = DOCS.read_text()
    start, end = "<!-- bench:lighthouse -->", "<!-- /bench:lighthouse -->"
    before, rest = content.split(start, 1)
    _old, after = rest.split(end, 1)
    DOCS.write_text(f"{before}{start}\n{text}\n{end}{after}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median counts")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not LIGHTHOUSE.exists():
        sys.exit(
            "Lighthouse is not installed: run `npm ci --ignore-scripts` in bench/lighthouse-npm/."
        )
    if not Path(chrome).exists():
        sys.exit("Chromium is not installed: run `bin/system-deps chromium`.")

    RESULTS.mkdir(parents=True, exist_ok=True)
    load_before = uptime()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        env = harness.production_env(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'lighthouse.sqlite3'}",
            MEDIA_ROOT=str(Path(tmp) / "media"),
            CELERY_TASK_ALWAYS_EAGER="1",
        )
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--force")
        child = manage(env, "shell", "-c", TODAY).split()[-1]
        port = free_port()
        with harness.server(env, bind=f"127.0.0.1:{port}", workers=2) as base:
            cookie = harness.cookie_header(harness.login(base, PARENT, PASSWORD))
            rows = []
            for key, label, template in PAGES:
                path = template.format(child=child)
                # localhost: a secure context for Chromium and Lighthouse, like HTTPS.
                url = f"http://localhost:{port}{path}"
                reports = [
                    lighthouse(url, cookie, RESULTS / f"{key}-{run}.json", chrome)
                    for run in range(args.runs)
                ]
                final = reports[0]["finalDisplayedUrl"]
                if "/accounts/login/" in final or "/consent/statement/" in final:
                    sys.exit(f"{path} was not the page itself: Lighthouse ended at {final}")
                row = {"label": label, "path": template.replace("{child}", "<child>")}
                for category in CATEGORIES:
                    scores = [round(100 * r["categories"][category]["score"]) for r in reports]
                    row[category] = int(statistics.median(scores))
                    if row[category] < 95:
                        median_report = reports[scores.index(sorted(scores)[len(scores) // 2])]
                        print(f"  {label}, {category} {row[category]}:", file=sys.stderr)
                        for loss in losses(median_report, category)[:6]:
                            print(f"    {loss}", file=sys.stderr)
                rows.append(row)
                print(f"{label}: " + ", ".join(f"{c} {row[c]}" for c in CATEGORIES), flush=True)

    version = json.loads(
        (
            ROOT / "bench" / "lighthouse-npm" / "node_modules" / "lighthouse" / "package.json"
        ).read_text()
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"Measured {stamp} with Lighthouse {version['version']} (mobile, median of "
        f"{args.runs} run{'s' if args.runs > 1 else ''} per page), Chromium "
        f"`{subprocess.run([chrome, '--version'], capture_output=True, text=True).stdout.strip()}`"
        f".\nMachine load (`uptime`) before: `{load_before}`; after: `{uptime()}`.\n\n{table(rows)}"
    )
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
    return 1 if any(row[c] < 95 for row in rows for c in CATEGORIES) else 0


if __name__ == "__main__":
    sys.exit(main())
