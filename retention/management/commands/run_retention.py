from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retention import engine


class Command(BaseCommand):
    help = (
        "Archive children 8 weeks after their last contract ended and destroy them one year "
        "after (R16-R19). Idempotent; safe to run again after a crash."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD (Europe/Amsterdam).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show exactly what a run would do, and change nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=engine.BATCH_SIZE)

    def handle(
        self,
        *args: Any,
        date: str | None = None,
        dry_run: bool = False,
        batch_size: int = engine.BATCH_SIZE,
        **options: Any,
    ) -> None:
        today = self._parse(date) if date else timezone.localdate()
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = engine.run(today=today, dry_run=dry_run, batch_size=batch_size)
        verb = "would" if dry_run else "did"
        self.stdout.write(f"Retention for {today} ({'dry run' if dry_run else 'done'}):")
        self.stdout.write(f"  archive: {report.archived} children ({verb})")
        self.stdout.write(f"  destroy: {report.destroyed} children ({verb})")
        self.stdout.write(f"  accounts erased: {report.accounts_erased} ({verb})")
        for kind, count in sorted(report.counts.items()):
            self.stdout.write(f"    {kind}: {count}")
        if not dry_run:
            self.stdout.write(f"  files deleted: {report.files_deleted}")
            waiting = report.files_queued - report.files_deleted
            if waiting > 0:
                self.stdout.write(f"  files queued for the files worker: {waiting}")
        self.stdout.write(f"  expired exports: {report.exports_expired} ({verb})")

    def _parse(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from None
