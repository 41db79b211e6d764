from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from absences import demo as absences_demo
from audit import demo as audit_demo
from consent import demo as consent_demo
from daycare.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PARENTS, STAFF, build_cast
from diary import demo as diary_demo
from messaging import demo as messaging_demo
from newsletters import demo as newsletters_demo
from photos import demo as photos_demo


class Command(BaseCommand):
    help = "Create the demo organisation with known logins (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never on a real deployment: the passwords are public.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a public password and TOTP secret; it refuses "
                "to run with DEBUG off. Use --force only on a throw-away machine."
            )
        today = timezone.localdate()
        build_cast(today=today)
        # Each feature app adds its own demo content after the cast exists.
        consent_demo.seed(today=today)
        diary_demo.seed(today=today)
        photos_demo.seed_photos(today=today)
        absences_demo.seed(today=today)
        messaging_demo.seed(today=today)
        newsletters_demo.seed(today=today)
        audit_demo.seed(today=today)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Password for every account: {DEMO_PASSWORD}")
        self.stdout.write(
            f"TOTP secret for staff and admin (any authenticator app): {DEMO_TOTP_SECRET}"
        )
        self.stdout.write("Parents: " + ", ".join(f"{key}@example.org" for key in PARENTS))
        self.stdout.write("Staff:   " + ", ".join(f"{key}@example.org" for key in STAFF))
