"""The inner wall on its own: the two doors ``photos_for_parent`` / ``photos_for_staff``,
without any view or gate (R5)."""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent import projection
from consent.models import Purpose
from photos.selectors import photos_for_child_day, photos_for_parent, photos_for_staff

pytestmark = pytest.mark.django_db


def visible(user, *, staff=False):
    photos = photos_for_staff(user) if staff else photos_for_parent(user)
    return set(photos.values_list("code", flat=True))


def test_it_shows_a_group_photo_to_the_guardians_of_the_tagged_children(cast, group_photo):
    for name in ("anna", "chris", "dewi"):
        assert visible(cast.users[name]) == {group_photo.code}
    for name in ("bram", "fleur", "tom", "sanne", "service"):
        assert visible(cast.users[name]) == set()


def test_it_hides_the_photo_from_everyone_after_one_withdrawal(cast, group_photo, decide):
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    for name in ("anna", "chris", "dewi"):
        assert visible(cast.users[name]) == set()
    assert visible(cast.sanne, staff=True) == set()


def test_it_shows_nothing_while_a_tagged_child_is_undecided(cast, decide, make_photo):
    decide(cast.daan, Purpose.PHOTOS)
    photo = make_photo(cast.daan, cast.mila)  # Mila: no decision yet
    assert visible(cast.anna) == set()
    assert visible(cast.dewi) == set()
    decide(cast.mila, Purpose.PHOTOS)
    assert visible(cast.anna) == {photo.code}


def test_it_hides_photos_with_an_archived_tagged_child(cast, group_photo):
    cast.mila.archived_at = timezone.now()
    cast.mila.save()
    projection.children_changed([cast.mila.pk])  # as retention.engine.archive does
    assert visible(cast.anna) == set()
    assert visible(cast.sanne, staff=True) == set()


def test_it_shows_untagged_photos_to_group_staff_only(cast, consented, make_photo):
    photo = make_photo(group=cast.group_a)
    assert visible(cast.anna) == set()
    assert visible(cast.sanne, staff=True) == {photo.code}
    assert visible(cast.lotte, staff=True) == {photo.code}
    assert visible(cast.tom, staff=True) == set()
    assert visible(cast.sanne) == set()  # staff get nothing through the parent rule


def test_it_gives_the_diary_one_query_for_a_week(
    cast, consented, make_photo, django_assert_num_queries
):
    photo = make_photo(cast.daan)
    today = timezone.localdate()
    week = [today - timezone.timedelta(days=n) for n in range(7)]
    with django_assert_num_queries(1):
        found = photos_for_child_day(cast.anna, cast.daan, week)
    assert [p.code for p in found[today]] == [photo.code]
    assert sum(len(v) for v in found.values()) == 1
    assert photos_for_child_day(cast.dewi, cast.daan, week)[today] == []


STATES = st.sampled_from(["given", "refused", "undecided"])


# The cast and photo are shared across examples on purpose; each example starts from no decisions.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(daan=STATES, mila=STATES, eva=STATES)
def test_it_follows_the_rule_for_any_consent_combination(cast_for_property, daan, mila, eva):
    """Property (R5): a parent sees the photo iff every tagged child has consent."""
    cast, photo, decide = cast_for_property
    from consent.models import ConsentDecision

    ConsentDecision.objects.destroy_for_retention(
        child_ids=[cast.daan.pk, cast.mila.pk, cast.eva.pk]
    )
    projection.children_changed([cast.daan.pk, cast.mila.pk, cast.eva.pk])
    for child, state in ((cast.daan, daan), (cast.mila, mila), (cast.eva, eva)):
        if state != "undecided":
            decide(child, Purpose.PHOTOS, given=state == "given")
    expected = {photo.code} if daan == mila == eva == "given" else set()
    assert visible(cast.anna) == expected
    assert visible(cast.dewi) == expected
    assert visible(cast.bram) == set()


@pytest.fixture
def cast_for_property(cast, decide, make_photo):
    return cast, make_photo(cast.daan, cast.mila, cast.eva), decide


def test_it_puts_a_late_evening_photo_on_its_amsterdam_day(cast, consented, make_photo):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from photos.models import Photo

    photo = make_photo(cast.daan)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    Photo.objects.filter(pk=photo.pk).update(
        taken_at=datetime(2026, 3, 28, 23, 59, 59, tzinfo=amsterdam)  # 22:59:59 UTC
    )
    projection.photos_changed([photo.pk])  # the tag keeps a copy of the date
    days = [date(2026, 3, 28), date(2026, 3, 29)]
    found = photos_for_child_day(cast.anna, cast.daan, days)
    assert [p.code for p in found[date(2026, 3, 28)]] == [photo.code]
    assert found[date(2026, 3, 29)] == []
    Photo.objects.filter(pk=photo.pk).update(
        taken_at=datetime(2026, 3, 29, 0, 0, 0, tzinfo=amsterdam)
    )
    projection.photos_changed([photo.pk])
    found = photos_for_child_day(cast.anna, cast.daan, days)
    assert found[date(2026, 3, 28)] == []
    assert [p.code for p in found[date(2026, 3, 29)]] == [photo.code]
