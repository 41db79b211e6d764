from datetime import timedelta

import pytest
from django.utils import timezone

from consent.models import Purpose
from diary.models import DiaryDay, DiaryEntry


@pytest.fixture
def consented(cast, decide):
    """Diary consent for Daan, Eva (anna) and Mila (dewi); Finn (bram) none."""
    for child in (cast.daan, cast.eva, cast.mila):
        decide(child, Purpose.DIARY)
    return cast


@pytest.fixture
def staff(login):
    """``staff(user)``: the client logged in as a staff member past two-factor."""
    return login


@pytest.fixture
def entry_on(cast):
    """``entry_on(child, days_ago=0, text=..., author=sanne)``: a stored entry (no checks)."""

    def _entry(child, days_ago=0, text="Daan heeft lekker gespeeld.", author=None, **fields):
        day, _created = DiaryDay.objects.get_or_create(
            child=child, date=timezone.localdate() - timedelta(days=days_ago)
        )
        return DiaryEntry.objects.create(
            day=day,
            kind=fields.pop("kind", DiaryEntry.Kind.STAFF),
            author=author or cast.sanne,
            text=text,
            **fields,
        )

    return _entry
