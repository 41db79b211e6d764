"""The dry run counts what the run does across batches (issue 21, finding 6): a guardian whose
children fall into two batches is erased by the run once, and the dry run says so too (each
batch rolled back on its own left the other child in place and counted the guardian in neither).
"""

from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import User
from daycare.models import Child
from photos.models import Photo
from retention import engine
from retention.models import DestructionRecord
from tests.files.queue import queued_keys
from tests.photos.conftest import add_photos
from tests.retention.helpers import make_child

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
LONG_AGO = (date(2020, 1, 6), date(2025, 10, 1))  # destroy due on 2026-10-01


def _two_batch_family(cast):
    pim = User.objects.create_user(email="pim@example.org", password="a-long-password-1")
    first = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim], first_name="Olivier")
    # Another family's child between them, so that the two land in different batches of one.
    make_child(cast.group_c, contracts=[LONG_AGO], first_name="Tijn")
    second = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim], first_name="Roos")
    # A group photo of both: it goes when the last of them goes.
    (photo,) = add_photos(cast.group_c, cast.sanne, [first, second], 1)
    return pim, first, second, photo


def test_it_counts_a_guardian_with_children_in_two_batches_once_as_the_run_does(cast):
    pim, first, second, photo = _two_batch_family(cast)
    dry = engine.run(today=TODAY, batch_size=1, dry_run=True)
    assert dry.batches >= 3  # one child a batch
    assert Child.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # all rolled back
    assert User.objects.get(pk=pim.pk).is_active
    assert not DestructionRecord.objects.exists() and not queued_keys()

    done = engine.run(today=TODAY, batch_size=1)
    assert not User.objects.get(pk=pim.pk).is_active  # erased by the run...
    assert dry.accounts_erased == done.accounts_erased >= 1  # ...and counted by the dry run
    assert (dry.destroyed, dry.archived, dry.exports_expired) == (
        done.destroyed,
        done.archived,
        done.exports_expired,
    )
    assert dry.counts == done.counts
    assert dry.counts["photos"] >= 1 and not Photo.objects.filter(pk=photo.pk).exists()


def test_it_prints_the_same_numbers_for_the_dry_run_as_for_the_run(cast, capsys):
    _two_batch_family(cast)
    call_command("run_retention", "--date", TODAY.isoformat(), "--dry-run", "--batch-size", "1")
    dry = capsys.readouterr().out
    call_command("run_retention", "--date", TODAY.isoformat(), "--batch-size", "1")
    done = capsys.readouterr().out

    def numbers(out: str) -> list[str]:
        keep = ("archive:", "destroy:", "accounts erased:", "expired exports:", "    ")
        return [line.split("(")[0].strip() for line in out.splitlines() if line.startswith(keep)]

    assert numbers(dry) == numbers(done)
    assert "accounts erased: 0" not in dry
