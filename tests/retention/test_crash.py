"""Crash safety (R19): interrupt a destruction run between batches or between the database
and the file deletion, run again, and end exactly where an uninterrupted run ends."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import User
from consent.models import ConsentDecision
from daycare.models import CareContract, Child, Guardianship
from retention import engine
from retention.models import DestructionRecord, Export
from tests.files.queue import queued_keys
from tests.retention.helpers import make_child, storage_listing, stored_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
DUE = (date(2020, 1, 6), date(2025, 6, 30))
ARCHIVE = (date(2020, 1, 6), date(2026, 6, 30))
RUNNING = (date(2020, 1, 6), None)


class Crash(Exception):
    pass


def build(cast, decide):
    """7 children due for destruction (3 batches of 3), 1 to archive, 1 running; each child
    has a guardian of its own, a consent decision and an export file."""
    files = {}
    for n, contract in enumerate([DUE] * 7 + [ARCHIVE, RUNNING]):
        parent = User.objects.create_user(email=f"p{n}@example.org", first_name=f"P{n}")
        child = make_child(
            cast.group_c, contracts=[contract], guardians=[parent], first_name=f"K{n}"
        )
        decide(child, "photos", by=parent)
        export = Export.objects.create(
            child=child, requested_by=parent, status="ready", storage_key=stored_file("exports")
        )
        files[f"K{n}"] = export.storage_key
    return files


def snapshot(files):
    users = {
        u.first_name or u.email.split("@")[0][:7]: (u.is_active, u.email.endswith("@invalid"))
        for u in User.objects.filter(email__regex=r"^(p\d|erased-)")
    }
    return {
        "children": sorted(
            (name, archived is None)
            for name, archived in Child.objects.filter(first_name__regex=r"^K\d$").values_list(
                "first_name", "archived_at"
            )
        ),
        "contracts": CareContract.objects.count(),
        "guardianships": Guardianship.objects.count(),
        "decisions": ConsentDecision.objects.count(),
        "exports": sorted(Export.objects.values_list("child__first_name", flat=True)),
        "records": (
            sum(DestructionRecord.objects.values_list("children", flat=True)),
            sum(DestructionRecord.objects.values_list("accounts_erased", flat=True)),
        ),
        "users": sorted(users.items()),
        "pending": len(queued_keys()),
        "files": sorted(label for label, key in files.items() if default_storage.exists(key)),
        "stray files": storage_listing("exports") - set(files.values()),
    }


def crash_after(point, nth=1):
    seen = {"n": 0}

    def hook(where):
        if where == point:
            seen["n"] += 1
            if seen["n"] == nth:
                raise Crash(where)

    return hook


@pytest.fixture
def uninterrupted(cast, decide, settings, tmp_path):
    """The state an uninterrupted run reaches, from the same data, in its own storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "reference"},
        },
    }
    cast.lieke.delete()
    with transaction.atomic():
        files = build(cast, decide)
        engine.run(today=TODAY, batch_size=3)
        reference = snapshot(files)
        transaction.set_rollback(True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "crashed"},
        },
    }
    return reference


def test_the_uninterrupted_run_destroys_what_is_due_and_no_more(uninterrupted):
    assert uninterrupted["children"] == [("K7", False), ("K8", True)]
    assert uninterrupted["files"] == ["K7", "K8"]
    assert uninterrupted["stray files"] == set()
    assert uninterrupted["pending"] == 0
    assert uninterrupted["records"] == (7, 7)


@pytest.mark.parametrize(("point", "nth"), [("batch", 1), ("batch", 2), ("batch", 3), ("files", 1)])
def test_it_ends_in_the_same_state_after_a_crash_and_a_rerun(
    cast, decide, uninterrupted, point, nth
):
    files = build(cast, decide)
    with pytest.raises(Crash):
        engine.run(today=TODAY, batch_size=3, hook=crash_after(point, nth))
    crashed = snapshot(files)
    # Nothing half-done: the records that are gone have their files queued, never orphaned.
    assert crashed["stray files"] == set()
    pending = queued_keys()
    recorded = set(Export.objects.values_list("storage_key", flat=True))
    for key in files.values():
        if default_storage.exists(key):
            assert key in recorded or key in pending  # no orphan file
    for key in recorded:
        assert default_storage.exists(key)  # no record pointing to a missing file

    engine.run(today=TODAY, batch_size=3)

    assert snapshot(files) == uninterrupted


def test_a_crash_inside_a_batch_leaves_the_whole_batch(cast, decide, uninterrupted):
    """A crash after the apps' rows went but before the daycare rows: the batch rolls back."""
    files = build(cast, decide)
    before = snapshot(files)
    with pytest.raises(Crash):
        engine.run(today=TODAY, batch_size=3, hook=crash_after("inside batch"))
    after = snapshot(files)
    assert {k: v for k, v in after.items() if k != "children"} == {
        k: v for k, v in before.items() if k != "children"
    }
    engine.run(today=TODAY, batch_size=3)
    assert snapshot(files) == uninterrupted
