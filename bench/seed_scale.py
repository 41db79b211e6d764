#!/usr/bin/env python
"""Fill a database with an organisation at a fraction of the design scale (issue 10).

    .venv/bin/python bench/seed_scale.py --children 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/bench

The design scale (SPEC.md) is 1,000 locations, 100,000 children, 10 million diary entries and
30 million photos; ``--children 10000`` is 1/10 of it: ~100 locations with 3 groups each, ~33
children per group, 1-2 guardians per child, three workers per group, a manager per location,
~100 diary days per child, ~300 photos per child at group level (3 million rows, 1-3 tags
each), conversations, absences and five years of weekly news per location. A benchmark family
(``bench-parent@example.org``) has a child with two years of daily diary and many photos.

PostgreSQL rows go in with COPY (explicit ids, sequences set afterwards); the big tables get
their secondary indexes and constraints dropped during the load and rebuilt after it. A SQLite
file (``--database-url sqlite:////tmp/bench.sqlite3``) is filled with batched INSERTs instead,
for the PostgreSQL-versus-SQLite comparison at a smaller size.

Columns the generator does not set get the model field's own default (``get_default()``), so
a field added later does not break it; a NOT NULL column without any default stops the run
with its name. Image files exist only for a small sample; every photo row points at one.

It refuses to run without an explicit database URL, and against a database holding users
outside ``example.org`` unless ``--force``. ``--reset`` empties a database filled earlier.
"""

import argparse
import base64
import json
import os
import random
import sys
import time
from array import array
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "portal-bench"
BENCH_TOTP_SECRET = "OUDERPORTAALBENCHTOTPSECRET23456"
BENCH_USERS = {
    "parent": "bench-parent@example.org",
    "worker": "bench-worker@example.org",
    "manager": "bench-manager@example.org",
    "service": "bench-service@example.org",
}
BIG_TABLE_ROWS = 200_000  # above this, indexes are rebuilt after the load instead of during it

FIRST = "Daan Eva Mila Finn Noor Sem Lieke Lucas Emma Liam Julia Noah Tess Levi Sara Mees Anna "
FIRST += "Luuk Zoë Jesse Fenna Bram Yara Thijs Nova Sam Lotte Gijs Isa Max Evi Ties Roos Jens"
LAST = "de Vries,Jansen,Bakker,Visser,Smit,Meijer,de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,"
LAST += "van Leeuwen,Dekker,Brouwer,de Wit,Dijkstra,Smits,de Graaf,van der Meer,Kok,Jacobs"
FIRST_NAMES = FIRST.split()
LAST_NAMES = LAST.split(",")
CITIES = ["Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "Woerden", "Hilversum"]
NOTES = [
    "Vandaag lekker buiten gespeeld in de zandbak en samen een toren gebouwd.",
    "Rustige dag gehad. Goed gegeten en een flink middagslaapje gedaan.",
    "We hebben geknutseld met herfstbladeren; het resultaat hangt in de groep.",
    "Samen liedjes gezongen en gedanst. Veel plezier gehad met de andere kinderen.",
    "Een beetje moe vanmiddag, maar na het slapen weer helemaal vrolijk.",
    "Voorgelezen uit het nieuwe prentenboek; aandachtig geluisterd tot het einde.",
]
PARENT_NOTES = [
    "Vannacht wat onrustig geslapen, misschien vandaag wat eerder moe.",
    "Opa haalt vandaag op rond 17:00.",
    "Graag extra smeren met zonnebrand, de crème zit in de tas.",
]
SUBJECTS = ["Ophalen vrijdag", "Vraag over het slapen", "Verjaardag traktatie", "Knuffel kwijt"]
BODIES = [
    "Hallo, kan ik vrijdag iets later komen ophalen? Groet.",
    "Dank voor het bericht, dat is goed. Tot morgen!",
    "Wij hebben de knuffel gevonden, hij ligt in het bakje bij de deur.",
    "Zou u erop willen letten dat ze haar fles op tijd krijgt? Dank u wel.",
]
NEWS = [
    ("Nieuws van de locatie", "Deze week hebben we het thema herfst. We gaan naar het park."),
    ("Sinterklaas op bezoek", "Op 5 december komt Sinterklaas langs. De kinderen mogen..."),
    ("Nieuwe collega", "Vanaf maandag versterkt een nieuwe pedagogisch medewerker de groep."),
    ("Moestuin", "De kinderen hebben radijsjes geoogst en samen soep gemaakt."),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=10_000, help="children (default 10000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--photos-per-child", type=int, default=300)
    parser.add_argument("--diary-days", type=int, default=100, help="diary days per child")
    parser.add_argument("--images", type=int, default=6, help="real image files (a sample)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument("--force", action="store_true", help="run despite real users")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://", "sqlite:///")):
        parser.error(
            "give --database-url (or DATABASE_URL) explicitly: postgres://... or sqlite:///..."
        )
    if args.children < 10:
        parser.error("--children must be at least 10")
    return args


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "1"  # the settings need no secrets then; the data is fake anyway
    # TOTP secrets are encrypted with a key derived from SECRET_KEY: use the one bench/harness.py
    # gives the server (or the SECRET_KEY in the environment, for both).
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    import django

    django.setup()


class Codes:
    """Random 16-character URL codes like ``core.ids.new_code``, made in bulk."""

    def __init__(self):
        self.buffer = []

    def __call__(self) -> str:
        if not self.buffer:
            raw = base64.urlsafe_b64encode(os.urandom(12 * 4096)).decode()
            self.buffer = [raw[i : i + 16] for i in range(0, len(raw), 16)]
        return self.buffer.pop()


class Loader:
    """Writes rows into a model's table: COPY on PostgreSQL, batched INSERTs on SQLite."""

    def __init__(self, *, log):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.codes = Codes()
        self.log = log
        self.now = datetime.now(UTC)
        self.counts = {}

    def _fill(self, model, columns):
        """For every concrete column not given: how to produce its value."""
        from django.db import models

        from core.ids import new_code

        fill = []
        for field in model._meta.concrete_fields:
            if field.attname in columns:
                continue
            if field.has_default() and field.default is new_code:
                fill.append((field.column, "code", None))
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                fill.append((field.column, "const", self.now))
            elif field.has_default() and callable(field.default):
                value = field.get_default()
                is_time = isinstance(value, datetime) and abs(value - self.now).seconds < 60
                fill.append((field.column, "const", self.now if is_time else value))
            else:
                value = field.get_default()
                if value is None and not field.null:
                    raise SystemExit(
                        f"{model._meta.label}.{field.name} is NOT NULL without a default: "
                        "bench/seed_scale.py must set it."
                    )
                if isinstance(field, models.JSONField):
                    value = json.dumps(value)
                fill.append((field.column, "const", value))
        return fill

    def load(self, model, columns: list[str], rows, *, table: str | None = None) -> int:
        """``rows`` yields tuples in ``columns`` order (attnames, ``id`` included)."""
        table = table or model._meta.db_table
        fill = self._fill(model, columns)
        names = [self._column(model, c) for c in columns] + [column for column, _, _ in fill]
        consts = tuple(value for _, kind, value in fill if kind == "const")
        if all(kind == "const" for _, kind, _ in fill):

            def complete(row):
                return row + consts
        else:

            def complete(row):
                return row + tuple(
                    self.codes() if kind == "code" else value for _, kind, value in fill
                )

        started = time.monotonic()
        big = False
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                rows = iter(rows)
                first = []
                for row in rows:
                    first.append(row)
                    if len(first) >= BIG_TABLE_ROWS:
                        break
                big = len(first) >= BIG_TABLE_ROWS
                saved = self._drop_secondary(raw, table) if big else None
                quoted = ", ".join(f'"{n}"' for n in names)
                with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in first:
                        copy.write_row(complete(row))
                        count += 1
                    for row in rows:
                        copy.write_row(complete(row))
                        count += 1
                loaded = time.monotonic()
                if saved:
                    self._restore_secondary(raw, saved)
                if "id" in names:
                    raw.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'coalesce((SELECT max(id) FROM "{table}"), 1))'
                    )
            else:
                raw = self.connection.connection
                marks = ", ".join("?" for _ in names)
                quoted = ", ".join(f'"{n}"' for n in names)
                sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
                batch = []
                raw.execute("BEGIN")
                for row in rows:
                    batch.append(tuple(_sqlite_value(v) for v in complete(row)))
                    if len(batch) >= 20_000:
                        raw.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    raw.executemany(sql, batch)
                    count += len(batch)
                raw.execute("COMMIT")
                loaded = time.monotonic()
        took = time.monotonic() - started
        extra = f" (load {loaded - started:.1f} s, indexes {took - (loaded - started):.1f} s)"
        self.log(f"  {table:<36} {count:>10,} rows {took:7.1f} s" + (extra if big else ""))
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    @staticmethod
    def _column(model, attname):
        for field in model._meta.concrete_fields:
            if field.attname == attname:
                return field.column
        raise SystemExit(f"{model._meta.label} has no column {attname}")

    @staticmethod
    def _drop_secondary(cursor, table):
        """Drop unique/foreign-key constraints and plain indexes; return how to rebuild them."""
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid "
            "AND c.conrelid = x.indrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return table, constraints, indexes

    @staticmethod
    def _restore_secondary(cursor, saved):
        table, constraints, indexes = saved
        for _, definition in indexes:
            cursor.execute(definition)
        # unique constraints first (they build indexes), then foreign keys (one validation scan)
        for name, definition in sorted(constraints, key=lambda c: c[1].startswith("FOREIGN")):
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | dict):  # a JSONField's callable default (e.g. a list)
        return json.dumps(value)
    return value


def sample_images(count: int, rng: random.Random) -> list[dict]:
    """A few real photos (original, display, thumb) in storage; every photo row uses one."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageDraw

    from files.keys import new_key

    samples = []
    for n in range(count):
        width, height = (1600, 1200) if n % 3 else (1200, 1600)
        image = Image.new("RGB", (width, height), (rng.randrange(256), 180, rng.randrange(256)))
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randrange(width), rng.randrange(height)
            r = rng.randrange(20, 200)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        keys = {}
        for size, side in (("original", None), ("display", 1600), ("thumb", 400)):
            copy = image.copy()
            if side:
                copy.thumbnail((side, side))
            out = BytesIO()
            copy.save(out, "JPEG", quality=80)
            keys[size] = default_storage.save(new_key("photos", "jpg"), ContentFile(out.getvalue()))
        samples.append({**keys, "width": width, "height": height})
    return samples


def check_database(args, log) -> None:
    from django.core.management import call_command

    from accounts.models import User
    from daycare.models import Child

    call_command("migrate", verbosity=0)
    real = User.objects.exclude(email__iendswith="example.org").count()
    if real and not args.force:
        raise SystemExit(
            f"This database holds {real} users outside example.org: it looks real. "
            "Refusing; pass --force if it is not."
        )
    if args.reset:
        log("Emptying the database (--reset) ...")
        call_command("flush", interactive=False, verbosity=0)
    elif User.objects.exists() or Child.objects.exists():
        raise SystemExit(
            "The database is not empty. Use --reset to empty it first (its data is lost)."
        )


def weekdays_back(end: date, count: int, pattern: set[int]) -> list[date]:
    days, day = [], end
    while len(days) < count:
        if day.weekday() in pattern:
            days.append(day)
        day -= timedelta(days=1)
    return days


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def seed(args, log) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from absences.models import Absence
    from accounts.allauth_internals import TOTP, RecoveryCodes
    from accounts.models import User
    from consent.models import ConsentDecision, PrivacyStatement, StatementAcceptance
    from daycare.models import CareContract, Child, Group, Guardianship, Location, StaffAssignment
    from diary.models import DiaryDay, DiaryEntry
    from messaging.models import Conversation, Message
    from newsletters.models import Publication
    from photos.models import Photo, PhotoTag

    rng = random.Random(args.seed)
    loader = Loader(log=log)
    today = date.today()
    now = loader.now
    n_children = args.children
    n_locations = max(1, round(n_children / 100))
    n_groups = n_locations * 3
    password = make_password(BENCH_PASSWORD)  # one hash for every generated account

    with connection.cursor() as cursor:
        if loader.postgres:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '256MB'")
        else:
            cursor.execute("PRAGMA synchronous = OFF")

    log(f"Organisation: {n_locations} locations, {n_groups} groups, {n_children} children")
    # --- locations, groups -------------------------------------------------------------------
    loader.load(
        Location,
        ["id", "name", "street", "postal_code", "city", "phone", "email"],
        (
            (
                i,
                f"Kindercentrum {LAST_NAMES[i % len(LAST_NAMES)].title()} {i}",
                f"Parklaan {i}",
                f"{3500 + i % 400} AB",
                CITIES[i % len(CITIES)],
                "030 123 45 67",
                f"locatie{i}@bench.example.org",
            )
            for i in range(1, n_locations + 1)
        ),
    )
    group_location = {g: (g - 1) // 3 + 1 for g in range(1, n_groups + 1)}
    loader.load(
        Group,
        ["id", "location_id", "name"],
        ((g, loc, f"Groep {'ABC'[(g - 1) % 3]}") for g, loc in group_location.items()),
    )

    # --- children: evenly over groups; the first child is the benchmark child ---------------
    child_group = {c: (c - 1) % n_groups + 1 for c in range(1, n_children + 1)}
    group_children: dict[int, list[int]] = {}
    for c, g in child_group.items():
        group_children.setdefault(g, []).append(c)
    bench_child = 1
    loader.load(
        Child,
        ["id", "first_name", "last_name", "date_of_birth", "group_id"],
        (
            (
                c,
                "Bench" if c == bench_child else rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                today - timedelta(days=rng.randrange(200, 4 * 365)),
                g,
            )
            for c, g in child_group.items()
        ),
    )
    contract_start = {c: today - timedelta(days=rng.randrange(400, 760)) for c in child_group}
    contract_start[bench_child] = today - timedelta(days=2 * 366)
    loader.load(
        CareContract,
        ["id", "child_id", "group_id", "start_date"],
        ((c, c, g, contract_start[c]) for c, g in child_group.items()),
    )

    # --- users: guardians (1-2 per child, some siblings share them), staff ------------------
    guardians: dict[int, list[int]] = {}
    users = []  # (id, email, first, last)
    uid = 0
    for c in child_group:
        if c > 1 and c != bench_child + 1 and rng.random() < 0.08:
            guardians[c] = guardians[c - 1]  # a sibling in the next group
            continue
        ids = []
        for _ in range(1 if c == bench_child or rng.random() < 0.4 else 2):
            uid += 1
            ids.append(uid)
            users.append((uid, f"p{uid}@bench.example.org"))
        guardians[c] = ids
    parent_ids = [u for u, _ in users]
    workers: dict[int, list[int]] = {}
    for g in range(1, n_groups + 1):
        workers[g] = []
        for _ in range(3):
            uid += 1
            workers[g].append(uid)
            users.append((uid, f"w{uid}@bench.example.org"))
    managers = {}
    for loc in range(1, n_locations + 1):
        uid += 1
        managers[loc] = uid
        users.append((uid, f"m{uid}@bench.example.org"))
    service = []
    for _ in range(max(2, n_locations // 20)):
        uid += 1
        service.append(uid)
        users.append((uid, f"k{uid}@bench.example.org"))
    # the named benchmark users take the first parent, worker, manager and service accounts
    named = {
        parent_ids[0]: BENCH_USERS["parent"],
        workers[1][0]: BENCH_USERS["worker"],
        managers[1]: BENCH_USERS["manager"],
        service[0]: BENCH_USERS["service"],
    }
    users = [(u, named.get(u, email)) for u, email in users]
    loader.load(
        User,
        ["id", "email", "password", "first_name", "last_name", "date_joined"],
        (
            (u, email, password, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), now)
            for u, email in users
        ),
    )
    loader.load(
        EmailAddress,
        ["id", "user_id", "email", "verified", "primary"],
        ((u, u, email, True, True) for u, email in users),
    )
    assignments = []
    for g, ids in workers.items():
        assignments += [(u, "group_worker", g, None) for u in ids]
    assignments += [(u, "location_manager", None, loc) for loc, u in managers.items()]
    assignments += [(u, "customer_service", None, None) for u in service]
    loader.load(
        StaffAssignment,
        ["id", "user_id", "role", "group_id", "location_id"],
        ((i, *a) for i, a in enumerate(assignments, 1)),
    )
    guardianships = [(u, c) for c, ids in guardians.items() for u in ids]
    loader.load(
        Guardianship,
        ["id", "user_id", "child_id"],
        ((i, u, c) for i, (u, c) in enumerate(guardianships, 1)),
    )

    # --- privacy statement, acceptances, consent ---------------------------------------------
    statement = PrivacyStatement.objects.create(
        version=1,
        text_nl="Privacyverklaring (benchmarkgegevens).",
        text_en="Privacy statement (benchmark data).",
        published_at=now - timedelta(days=800),
    )
    loader.load(
        StatementAcceptance,
        ["id", "user_id", "statement_id", "accepted_at"],
        ((i, u, statement.pk, now - timedelta(days=700)) for i, u in enumerate(parent_ids, 1)),
    )

    def decisions():
        n = 0
        for u, c in guardianships:
            for purpose in ("diary", "photos"):
                n += 1
                given = c == bench_child or rng.random() < 0.93
                when = at(contract_start[c], 9)
                yield (n, c, purpose, given, u, u, statement.pk, "portal", when)

    loader.load(
        ConsentDecision,
        [
            "id",
            "child_id",
            "purpose",
            "given",
            "decided_by_id",
            "recorded_by_id",
            "statement_id",
            "channel",
            "decided_at",
        ],
        decisions(),
    )

    # --- diary: ~100 days per child (three fixed weekdays), two years for the bench child ----
    attendance = {c: set(rng.sample(range(5), 3)) for c in child_group}
    attendance[bench_child] = set(range(5))
    diary_days = {
        c: weekdays_back(today, 520 if c == bench_child else args.diary_days, attendance[c])
        for c in child_group
    }

    def days():
        n = 0
        for c, dates in diary_days.items():
            for d in dates:
                n += 1
                yield (n, c, d)

    def all_days():  # the same order as days(), so day ids match
        n = 0
        for c, dates in diary_days.items():
            for d in dates:
                n += 1
                yield (c, d), n

    loader.load(DiaryDay, ["id", "child_id", "date"], days())
    moods = ["happy", "content", "quiet", "tired"]
    meals = ["pasta", "brood met kaas", "fruit", "rijst met groente", "yoghurt"]

    def entries():
        n = 0
        for (c, d), day_id in all_days():
            items = {
                "meals": [
                    {"moment": "lunch", "amount": rng.choice(["all", "most"]), "what": "brood"},
                    {"moment": "afternoon_snack", "amount": "all", "what": rng.choice(meals)},
                ],
                "sleep": [{"start": "12:30", "end": f"14:{rng.randrange(10, 59)}"}],
                "nappies": [{"time": "10:15", "kind": "wet"}, {"time": "15:40", "kind": "dirty"}],
                "mood": rng.choice(moods),
                "activities": rng.sample(["outdoor", "crafts", "music", "reading"], 2),
            }
            worker = workers[child_group[c]][n % 3]
            n += 1
            yield (
                n,
                day_id,
                "staff",
                worker,
                rng.choice(NOTES),
                json.dumps(items),
                at(d, 16, 30),
                None,
                None,
            )
            if rng.random() < 0.1:
                n += 1
                parent = guardians[c][0]
                yield (n, day_id, "parent", parent, rng.choice(PARENT_NOTES), "{}", at(d, 7, 45),
                       at(d, 9), worker)  # fmt: skip

    loader.load(
        DiaryEntry,
        [
            "id",
            "day_id",
            "kind",
            "author_id",
            "text",
            "items",
            "created_at",
            "read_at",
            "read_by_id",
        ],
        entries(),
    )
    diary_days.clear()

    # --- photos: ~300 per child at group level over two years, 1-3 tags each -----------------
    log(f"Storing {args.images} sample image files ...")
    samples = sample_images(args.images, rng)
    # tags are collected while photos stream (compactly) and loaded right after
    tag_photo, tag_child, tag_time = array("l"), array("l"), array("d")

    def photos():
        n = 0
        span = 2 * 365
        for g, kids in group_children.items():
            total = args.photos_per_child * len(kids)
            per_day = max(1, total // span)
            worker = workers[g][0]
            for k in range(total):
                n += 1
                day = today - timedelta(days=1 + k // per_day)
                if k % per_day == 0:
                    batch = loader.codes()
                taken = at(day, 8 + (k % per_day) % 9, (k * 7) % 60)
                sample = samples[n % len(samples)]
                yield (
                    n,
                    g,
                    worker,
                    batch,
                    taken,
                    taken + timedelta(hours=1),
                    sample["original"],
                    sample["display"],
                    sample["thumb"],
                    sample["width"],
                    sample["height"],
                )
                chosen = rng.sample(kids, min(len(kids), rng.randint(1, 3)))
                if g == child_group[bench_child] and bench_child not in chosen and k % 4 == 0:
                    chosen[0] = bench_child
                for child in chosen:
                    tag_photo.append(n)
                    tag_child.append(child)
                    tag_time.append(taken.timestamp() + 3600)

    loader.load(
        Photo,
        [
            "id",
            "group_id",
            "uploaded_by_id",
            "batch",
            "taken_at",
            "uploaded_at",
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
        ["id", "photo_id", "child_id", "tagged_by_id", "tagged_at"],
        (
            (
                i + 1,
                tag_photo[i],
                tag_child[i],
                workers[child_group[tag_child[i]]][0],
                datetime.fromtimestamp(tag_time[i], UTC),
            )
            for i in range(len(tag_photo))
        ),
    )
    tag_photo, tag_child, tag_time = array("l"), array("l"), array("d")  # free them

    # --- messaging: ~2 conversations per child, 2-6 messages each -----------------------------
    messages = []

    def conversations():
        n = 0
        for c, g in child_group.items():
            for _ in range(5 if c == bench_child else rng.choice([1, 2, 2, 3])):
                n += 1
                start = now - timedelta(days=rng.randrange(1, 500), minutes=rng.randrange(600))
                parent = guardians[c][0]
                worker = workers[g][rng.randrange(3)]
                count = rng.randint(2, 6)
                for m in range(count):
                    side = "parent" if m % 2 == 0 else "staff"
                    messages.append(
                        (
                            n,
                            parent if side == "parent" else worker,
                            side,
                            rng.choice(BODIES),
                            start + timedelta(hours=3 * m),
                        )
                    )
                last = start + timedelta(hours=3 * (count - 1))
                yield (n, c, rng.choice(SUBJECTS), parent, start, last, count % 2 == 1)

    loader.load(
        Conversation,
        [
            "id",
            "child_id",
            "subject",
            "started_by_id",
            "created_at",
            "last_message_at",
            "awaiting_staff_reply",
        ],
        conversations(),
    )
    loader.load(
        Message,
        ["id", "conversation_id", "author_id", "side", "body", "created_at"],
        ((i, *m) for i, m in enumerate(messages, 1)),
    )
    messages.clear()

    # --- absences: ~5 per child, some today so the day overview has work ---------------------
    def absences():
        n = 0
        for c in child_group:
            for k in range(5):
                n += 1
                start = today - timedelta(days=rng.randrange(0, 500)) if k else today
                if k == 0 and rng.random() > 0.05:
                    start = today - timedelta(days=rng.randrange(30, 500))
                end = start + timedelta(days=rng.choice([0, 0, 0, 1, 4]))
                reason = rng.choice(["sick", "sick", "holiday", "other"])
                yield (n, c, start, end, reason, guardians[c][0], at(start, 7))

    loader.load(
        Absence,
        ["id", "child_id", "start_date", "end_date", "reason", "reported_by_id", "created_at"],
        absences(),
    )

    # --- news: five years of weekly news per location, monthly organisation-wide ------------
    links = []

    def publications():
        n = 0
        for loc in range(1, n_locations + 1):
            for week in range(5 * 52):
                n += 1
                title, body = NEWS[(loc + week) % len(NEWS)]
                when = now - timedelta(weeks=week, hours=loc % 24)
                links.append((len(links) + 1, n, loc))
                yield (n, "news", title, body, False, when, when, managers[loc], when)
        for month in range(5 * 12):
            n += 1
            when = now - timedelta(days=30 * month)
            yield (n, "news", "Nieuws van de organisatie", NEWS[0][1], True, when, when,
                   service[0], when)  # fmt: skip

    loader.load(
        Publication,
        [
            "id",
            "kind",
            "title",
            "body",
            "for_all_locations",
            "published_at",
            "announced_at",
            "created_by_id",
            "created_at",
        ],
        publications(),
    )
    through = Publication.locations.through
    loader.load(through, ["id", "publication_id", "location_id"], links)

    # --- the named benchmark users: real two-factor for staff --------------------------------
    with transaction.atomic():
        for key in ("worker", "manager", "service"):
            user = User.objects.get(email=BENCH_USERS[key])
            if not Authenticator.objects.filter(user=user, type="totp").exists():
                TOTP.activate(user, BENCH_TOTP_SECRET)
                RecoveryCodes.activate(user)
        User.objects.filter(email__in=BENCH_USERS.values()).update(
            first_name="Bench", last_name="Gebruiker"
        )

    # --- the consent projection (issue 16): the rows above went past the services, so every
    # photo is closed until the projection has looked (fail closed). Built once, as for a
    # migration; a running portal keeps it right write by write.
    from consent import projection

    if loader.postgres:
        # Statistics first: without them the planner joins every photo's tags to all children
        # (a merge join per photo) and the rebuild runs for hours at 1/10 scale.
        analyze(log)
    log("Consent projection ...")
    started = time.monotonic()
    with transaction.atomic():
        projection.rebuild()
    log(f"  projection {time.monotonic() - started:.1f} s")

    if loader.postgres:
        analyze(log)
    bench_child_obj = Child.objects.get(pk=bench_child)
    group = bench_child_obj.group
    return {
        "children": n_children,
        "locations": n_locations,
        "rows": loader.counts,
        "password": BENCH_PASSWORD,
        "totp_secret": BENCH_TOTP_SECRET,
        "users": BENCH_USERS,
        "bench_child": bench_child_obj.code,
        "bench_group": group.code,
        "bench_location": group.location.code,
        # The last whole month: early in a month, the current one holds only a few days.
        "photo_month": (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
    }


def analyze(log) -> None:
    from django.db import connection

    log("ANALYZE ...")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  analyze {time.monotonic() - started:.1f} s")


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args.database_url)
    started = time.monotonic()

    def log(text):
        print(text, flush=True)

    check_database(args, log)
    info = seed(args, log)
    info["seconds"] = round(time.monotonic() - started, 1)
    total = sum(info["rows"].values())
    log(f"\nDone: {total:,} rows in {info['seconds']} s.")
    log(f"Password of every account: {BENCH_PASSWORD}; staff TOTP secret {BENCH_TOTP_SECRET}")
    for key, email in BENCH_USERS.items():
        log(f"  {key:<8} {email}")
    log(f"Benchmark child code {info['bench_child']}, group {info['bench_group']}")
    marker = ROOT / "bench" / "results" / "seed.json"
    marker.parent.mkdir(exist_ok=True)
    seeds = json.loads(marker.read_text()) if marker.exists() else {}
    safe_url = args.database_url.split("@")[-1]
    seeds[safe_url] = {**info, "date": datetime.now(UTC).isoformat(timespec="seconds")}
    marker.write_text(json.dumps(seeds, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
