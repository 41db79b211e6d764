#!/usr/bin/env python
"""A tablet's batch of 30 phone photos, from the first upload to the last variant (issue 10).

    .venv/bin/python bench/photos_batch.py --database-url postgres://postgres@127.0.0.1:5432/bench_photos

Runs the production processes on 127.0.0.1: gunicorn (sync workers) and a Celery worker
(prefork, concurrency 2) on Redis database 12, PostgreSQL. The benchmark group worker of a small
database seeded by ``bench/seed_scale.py`` (``--children 30``; ``bench/all.py`` seeds it) logs in
with password and TOTP and uploads the same 12-megapixel camera JPEG (EXIF orientation 6 and
GPS, ``bench/photos_variants.py`` makes it) 30 times the way the upload page does: one file per
request, two requests at a time. The clock stops when the 30th photo has its display size and
thumbnail. Reported: total seconds, upload requests' median and slowest time, and the peak RSS
of the largest gunicorn worker and Celery worker process. The photos are deleted afterwards
(``photos.services.photo_delete``, files included).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
import pages
import photos_variants

ROOT = harness.ROOT
REDIS = "redis://127.0.0.1:6379/12"
PHOTOS = 30


def descendants(pid: int) -> list[int]:
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def peak_rss_mb(pids) -> float:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def django_shell(env: dict, code: str) -> str:
    out = subprocess.run(
        [str(harness.VENV_BIN / "python"), "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


SETUP = "import django; django.setup(); from photos.models import Photo; "


def run(database_url: str, port: int = 8210) -> dict:
    photos_variants.make_sample()
    data = photos_variants.SAMPLE.read_bytes()
    info = pages.seed_info(database_url)
    media = Path(tempfile.mkdtemp(prefix="bench-photos-batch-"))
    env = harness.production_env(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS,
        CELERY_TASK_ALWAYS_EAGER="0",
        MEDIA_ROOT=str(media),
        DATABASE_POOL_MAX=4,
    )
    subprocess.run(["redis-cli", "-n", "12", "FLUSHDB"], check=True, capture_output=True)
    worker_log = (media / "celery.log").open("w")
    worker = subprocess.Popen(
        [
            str(harness.VENV_BIN / "celery"),
            "-A",
            "portal",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--pool",
            "prefork",
        ],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        with harness.server(env, workers=2, bind=f"127.0.0.1:{port}") as base:
            session = pages.login(base, "worker")
            url = f"{base}/staff/photos/group/{info['bench_group']}/upload/"
            page = session.get(url, timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            batch = re.search(r'name="batch" value="([^"]+)"', page.text).group(1)
            before = int(django_shell(env, SETUP + "print(Photo.objects.count())").splitlines()[-1])

            def upload(n: int) -> float:
                started = time.perf_counter()
                response = session.post(
                    url,
                    data={"batch": batch, "csrfmiddlewaretoken": token},
                    files={"photos": (f"IMG_{n:04d}.jpg", data, "image/jpeg")},
                    headers={"X-Requested-With": "fetch", "Referer": url},
                    timeout=120,
                )
                if response.status_code != 200 or not response.json().get("ok"):
                    raise RuntimeError(f"upload {n} failed: {response.status_code} {response.text}")
                return time.perf_counter() - started

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=2) as pool:
                upload_times = list(pool.map(upload, range(PHOTOS)))
            uploaded = time.perf_counter() - started
            count = (
                f"print(Photo.objects.filter(batch={batch!r}).exclude(thumb_key='')"
                ".exclude(display_key='').count())"
            )
            done = 0
            while time.perf_counter() - started < 300:
                done = int(django_shell(env, SETUP + count).splitlines()[-1])
                if done >= PHOTOS:
                    break
                time.sleep(0.25)
            total = time.perf_counter() - started
            celery_pids = [worker.pid, *descendants(worker.pid)]
            gunicorn_pids = set(descendants(os.getpid())) - set(celery_pids)
            gunicorn_peak = peak_rss_mb(gunicorn_pids)
            celery_peak = peak_rss_mb(celery_pids)
            # tidy up: the photos and their files go the normal way
            django_shell(
                env,
                SETUP + "from photos.services import photo_delete\n"
                f"for p in Photo.objects.filter(batch={batch!r}): photo_delete(photo=p)\n"
                "from files.services import files_delete_pending; files_delete_pending()\n"
                f"assert Photo.objects.count() == {before}",
            )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        worker_log.close()
        subprocess.run(["rm", "-rf", str(media)], check=False)
    if done < PHOTOS:
        raise RuntimeError(f"only {done} of {PHOTOS} photos got their variants within 300 s")
    return {
        "photos": PHOTOS,
        "sample_mb": len(data) / 1e6,
        "seconds_to_all_variants": total,
        "seconds_uploading": uploaded,
        "upload_median_ms": statistics.median(upload_times) * 1000,
        "upload_max_ms": max(upload_times) * 1000,
        "peak_rss_gunicorn_worker_mb": gunicorn_peak,
        "peak_rss_celery_mb": celery_peak,
        "load_average": os.getloadavg(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8210)
    args = parser.parse_args(argv)
    result = run(args.database_url, args.port)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
