"""Benchmark: destroy N children (default 10,000) with 20 diary entries and 50 photos each
(original, display and thumbnail files on disk) on PostgreSQL; time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/retention_bench \\
    MEDIA_ROOT=/tmp/retention-bench-media .venv/bin/python bench/retention_destroy.py generate 10000
    ... .venv/bin/python bench/retention_destroy.py destroy

``generate`` migrates and fills the database and the media directory; ``destroy`` runs one
retention day (the same code as ``manage.py run_retention``) in a fresh process and prints
wall time, peak RSS of that process and what was removed. Not part of the test run.
"""

import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

TODAY = date(2026, 11, 25)
ENDED = date(2025, 6, 30)
DIARY = 20
PHOTOS = 50


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int) -> None:
    from accounts.models import User
    from daycare.models import CareContract, Child, Group, Guardianship, Location
    from diary.models import DiaryDay, DiaryEntry
    from files.keys import new_key
    from photos.models import Photo, PhotoTag

    assert connection.vendor == "postgresql", "run the benchmark on PostgreSQL"
    call_command("migrate", verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    location, _ = Location.objects.get_or_create(
        name="Bench",
        defaults={"street": "s", "postal_code": "p", "city": "c", "phone": "1", "email": "b@x.nl"},
    )
    group, _ = Group.objects.get_or_create(location=location, name="Bench")
    started = time.perf_counter()
    files = 0
    for start in range(0, n, 500):
        size = min(500, n - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(email=f"bench{start + i}@example.org", first_name="B") for i in range(size)]
            )
            children = Child.objects.bulk_create(
                [
                    Child(
                        first_name=f"B{start + i}",
                        last_name="Bench",
                        group=group,
                        date_of_birth=date(2022, 1, 1),
                    )
                    for i in range(size)
                ]
            )
            CareContract.objects.bulk_create(
                [
                    CareContract(child=c, group=group, start_date=date(2023, 1, 2), end_date=ENDED)
                    for c in children
                ]
            )
            Guardianship.objects.bulk_create(
                [Guardianship(user=u, child=c) for u, c in zip(users, children, strict=True)]
            )
            days = DiaryDay.objects.bulk_create(
                [
                    DiaryDay(child=c, date=ENDED - timedelta(days=d))
                    for c in children
                    for d in range(DIARY)
                ]
            )
            DiaryEntry.objects.bulk_create(
                [DiaryEntry(day=d, kind="staff", text="Vandaag buiten gespeeld.") for d in days],
                batch_size=2000,
            )
            photos = []
            for _c in children:
                for _p in range(PHOTOS):
                    keys = [new_key("photos", "jpg") for _ in range(3)]
                    for key in keys:
                        path = media / key
                        path.parent.mkdir(parents=True, exist_ok=True)
                        path.write_bytes(b"\xff\xd8 bench \xff\xd9")
                    files += 3
                    photos.append(
                        Photo(
                            group=group,
                            batch="bench",
                            original_key=keys[0],
                            display_key=keys[1],
                            thumb_key=keys[2],
                            width=1,
                            height=1,
                        )
                    )
            photos = Photo.objects.bulk_create(photos, batch_size=2000)
            PhotoTag.objects.bulk_create(
                [PhotoTag(photo=p, child=children[i // PHOTOS]) for i, p in enumerate(photos)],
                batch_size=2000,
            )
        print(
            f"  {start + size} children, {files} files, {time.perf_counter() - started:.0f} s",
            flush=True,
        )


def destroy() -> None:
    from retention import engine

    before = peak_mb()
    started = time.perf_counter()
    report = engine.run(today=TODAY)
    seconds = time.perf_counter() - started
    print(
        f"destroyed {report.destroyed} children in {report.batches} batches, "
        f"{report.accounts_erased} accounts erased, {report.files_deleted} files deleted"
    )
    print(f"removed: {dict(sorted(report.counts.items()))}")
    print(
        f"wall time {seconds:.1f} s; peak RSS {peak_mb():.0f} MB (after start-up {before:.0f} MB)"
    )


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
    else:
        destroy()
