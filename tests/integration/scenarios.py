"""Data for the integration tests, written by an operator's process with the stack's environment:
``python -m tests.integration.scenarios <name> [args]``. Prints JSON.

``retention N``: N children of a new group whose care ended 13 months ago (due for destruction)
with a photo (three objects in the bucket), diary entries and a guardian each, and children that
are not due (care ended 10 weeks ago, 3 weeks ago, or still running) with the same, plus a group
photo of a due and a not-due child.

``two_batch_parent``: a parent whose two children are due for destruction with another family's
child between them (so that with ``--batch-size 1`` they fall into two batches), and a group
photo of the two (three objects in the bucket).
"""

import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.models import User  # noqa: E402
from consent import projection  # noqa: E402
from consent.models import Channel, ConsentDecision, PrivacyStatement, Purpose  # noqa: E402
from daycare.models import CareContract, Child, Group, Guardianship, Location  # noqa: E402
from diary.models import DiaryDay, DiaryEntry  # noqa: E402
from files.keys import new_key  # noqa: E402
from photos.models import Photo, PhotoTag  # noqa: E402


def _jpeg(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed % 255, 80, 120)).save(out, "JPEG")
    return out.getvalue()


def _months_ago(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, min(today.day, 28))


def retention(count: int) -> dict:
    today = timezone.localdate()
    location = Location.objects.first()
    group = Group.objects.create(location=location, name=f"Groep R{Group.objects.count()}")
    worker = User.objects.get(email="sanne@example.org")
    statement = PrivacyStatement.objects.filter(published_at__isnull=False).latest("version")
    ends = (
        [("due", today - timedelta(days=400))] * count
        + [("archived", today - timedelta(weeks=10))] * 5
        + [("visible", today - timedelta(weeks=3))] * 5
        + [("running", None)] * 5
    )
    uploads = []
    with transaction.atomic():
        parents = User.objects.bulk_create(
            User(email=f"r{group.pk}-{n}@example.org", first_name="Ouder", last_name=f"R{n}")
            for n in range((len(ends) + 9) // 10)
        )
        children = Child.objects.bulk_create(
            Child(
                first_name=f"Kind{n}",
                last_name=kind,
                date_of_birth=_months_ago(today, 40),
                group=group,
            )
            for n, (kind, _end) in enumerate(ends)
        )
        CareContract.objects.bulk_create(
            CareContract(child=child, group=group, start_date=_months_ago(today, 30), end_date=end)
            for child, (_kind, end) in zip(children, ends, strict=True)
        )
        Guardianship.objects.bulk_create(
            Guardianship(user=parents[n // 10], child=child) for n, child in enumerate(children)
        )
        ConsentDecision.objects.bulk_create(
            ConsentDecision(
                child=child,
                purpose=purpose,
                given=True,
                decided_by=parents[n // 10],
                recorded_by=parents[n // 10],
                statement=statement,
                channel=Channel.PAPER,
            )
            for n, child in enumerate(children)
            for purpose in (Purpose.PHOTOS, Purpose.DIARY)
        )
        days = DiaryDay.objects.bulk_create(
            DiaryDay(child=child, date=(end or today) - timedelta(days=1))
            for child, (_kind, end) in zip(children, ends, strict=True)
        )
        DiaryEntry.objects.bulk_create(
            DiaryEntry(day=day, kind=DiaryEntry.Kind.STAFF, author=worker, text="Een fijne dag.")
            for day in days
        )
        photos = []
        for n in range(len(children)):
            keys = [new_key("photos", "jpg") for _ in range(3)]
            uploads += [(key, _jpeg(n)) for key in keys]
            photos.append(
                Photo(
                    group=group,
                    uploaded_by=worker,
                    batch=f"retention{group.pk:08d}"[:16],
                    taken_at=timezone.now(),
                    original_key=keys[0],
                    display_key=keys[1],
                    thumb_key=keys[2],
                    width=64,
                    height=48,
                    content_type="image/jpeg",
                )
            )
        photos = Photo.objects.bulk_create(photos)
        PhotoTag.objects.bulk_create(
            PhotoTag(photo=photo, child=child, tagged_by=worker)
            for photo, child in zip(photos, children, strict=True)
        )
        # A group photo of the first due child and the first child that stays.
        keep = next(c for c, (kind, _e) in zip(children, ends, strict=True) if kind != "due")
        PhotoTag.objects.create(photo=photos[0], child=keep, tagged_by=worker)
        projection.rebuild()  # everything above was written directly, in bulk
    connection.close()  # the threads below use storage only

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: default_storage.save(item[0], io.BytesIO(item[1])), uploads))
    return {
        "group": group.code,
        "due": [c.pk for c, (kind, _e) in zip(children, ends, strict=True) if kind == "due"],
        "kept": [c.pk for c, (kind, _e) in zip(children, ends, strict=True) if kind != "due"],
        "group_photo": photos[0].pk,
        "kept_child_in_group_photo": keep.pk,
    }


def two_batch_parent() -> dict:
    today = timezone.localdate()
    location = Location.objects.first()
    group = Group.objects.create(location=location, name=f"Groep T{Group.objects.count()}")
    worker = User.objects.get(email="sanne@example.org")
    parent = User.objects.create(email=f"t{group.pk}@example.org", first_name="Ouder")
    neighbour = User.objects.create(email=f"t{group.pk}-n@example.org", first_name="Buur")
    children = []
    for name, guardian in (("Eerste", parent), ("Buurkind", neighbour), ("Tweede", parent)):
        child = Child.objects.create(
            first_name=name, last_name="T", date_of_birth=_months_ago(today, 40), group=group
        )
        CareContract.objects.create(
            child=child,
            group=group,
            start_date=_months_ago(today, 30),
            end_date=today - timedelta(days=400),
        )
        Guardianship.objects.create(user=guardian, child=child)
        children.append(child)
    keys = [new_key("photos", "jpg") for _ in range(3)]
    for key in keys:
        default_storage.save(key, io.BytesIO(_jpeg(len(key))))
    photo = Photo.objects.create(
        group=group,
        uploaded_by=worker,
        batch=f"twobatch{group.pk:08d}"[:16],
        taken_at=timezone.now(),
        original_key=keys[0],
        display_key=keys[1],
        thumb_key=keys[2],
        width=64,
        height=48,
    )
    for child in (children[0], children[2]):
        PhotoTag.objects.create(photo=photo, child=child, tagged_by=worker)
    return {"parent": parent.pk, "children": [c.pk for c in children], "photo": photo.pk}


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    scenarios = {"retention": lambda: retention(int(args[0])), "two_batch_parent": two_batch_parent}
    print(json.dumps(scenarios[name]()))
