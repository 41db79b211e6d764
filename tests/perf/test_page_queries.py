"""List pages the feature apps' own tests do not yet count: their number of queries stays the
same however much data there is (issue 10). The scaled data of bench/ proves the same at
10,000 children (bench/queries.py); these tests make a regression fail in the suite.

Already counted elsewhere (not repeated here): the diary timeline and group overview
(tests/diary), the photos selector for the diary (tests/photos), the inboxes and a
conversation (tests/messaging), the absences day overview (tests/absences), the news list and
home (tests/newsletters), the staff home (tests/daycare)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from absences.models import Absence
from consent.models import Purpose
from daycare.models import CareContract, Child, Guardianship
from diary.models import DiaryDay, DiaryEntry
from messaging.models import Conversation, Message, Side
from photos.models import Photo, PhotoTag

pytestmark = pytest.mark.django_db


def count_queries(client, url, *, showing: str = "", at_least: int = 0) -> int:
    """The page's number of queries; ``showing`` must occur ``at_least`` times in it (so the
    test proves the data was on the page, not only in the database)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if showing:
        assert response.content.decode().count(showing) >= at_least, showing
    return len(captured.captured_queries)


def add_photos(group, worker, children, n, *, when=None):
    when = when or timezone.now() - timedelta(hours=1)
    photos = Photo.objects.bulk_create(
        [
            Photo(
                group=group,
                uploaded_by=worker,
                batch="perfBatchCode001",
                taken_at=when - timedelta(minutes=i),
                original_key=f"photos/pe/perf{i}.jpg",
                display_key=f"photos/pe/perf{i}-d.jpg",
                thumb_key=f"photos/pe/perf{i}-t.jpg",
                width=1600,
                height=1200,
            )
            for i in range(n)
        ]
    )
    PhotoTag.objects.bulk_create(
        [PhotoTag(photo=photo, child=child) for photo in photos for child in children]
    )


def add_children(cast, group, n, *, guardian=None):
    children = []
    for i in range(n):
        child = Child.objects.create(
            first_name=f"Perf{i}", last_name="Kind", date_of_birth=date(2024, 1, 1), group=group
        )
        CareContract.objects.create(child=child, group=group, start_date=date(2025, 1, 1))
        if guardian:
            Guardianship.objects.create(user=guardian, child=child)
        children.append(child)
    return children


def add_diary(child, author, days):
    today = timezone.localdate()
    for k in range(days):
        day = DiaryDay.objects.create(child=child, date=today - timedelta(days=k))
        DiaryEntry.objects.create(day=day, kind="staff", author=author, text="Goede dag")


def test_it_shows_a_photo_month_with_a_fixed_number_of_queries(cast, login, client, decide):
    for child in (cast.daan, cast.mila):
        decide(child, Purpose.PHOTOS, given=True)
    add_photos(cast.group_a, cast.sanne, [cast.daan], 3)
    login(cast.anna, two_factor=False)
    url = f"/photos/child/{cast.daan.code}/"
    client.get(url)  # session and caches warm
    few = count_queries(client, url)

    # ten times the photos, group photos with a second child, older months, a child without
    # consent in some of them: still the same queries
    add_photos(cast.group_a, cast.sanne, [cast.daan], 30)
    add_photos(cast.group_a, cast.sanne, [cast.daan, cast.mila], 20)
    add_photos(cast.group_a, cast.sanne, [cast.daan, cast.eva], 5)
    add_photos(cast.group_a, cast.sanne, [cast.daan], 40, when=timezone.now() - timedelta(90))
    assert count_queries(client, url, showing="/photos/p/", at_least=40) == few


def test_it_shows_the_staff_group_page_with_a_fixed_number_of_queries(cast, login, client):
    login(cast.sanne)
    url = f"/staff/groups/{cast.group_a.code}/"
    client.get(url)
    few = count_queries(client, url)

    children = add_children(cast, cast.group_a, 20, guardian=cast.dewi)
    for child in children[:5]:
        add_diary(child, cast.sanne, 3)
        Absence.objects.create(
            child=child,
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            reason="sick",
            reported_by=cast.dewi,
        )
    assert count_queries(client, url, showing="Perf", at_least=20) == few


def test_it_shows_the_staff_photo_tagging_page_with_a_fixed_number_of_queries(
    cast, login, client, decide
):
    decide(cast.daan, Purpose.PHOTOS, given=True)
    add_photos(cast.group_a, cast.sanne, [cast.daan], 2)
    login(cast.sanne)
    url = f"/staff/photos/group/{cast.group_a.code}/"
    client.get(url)
    few = count_queries(client, url)

    add_children(cast, cast.group_a, 10)
    add_photos(cast.group_a, cast.sanne, [cast.daan, cast.mila], 40)
    add_photos(cast.group_a, cast.sanne, [], 10)
    assert count_queries(client, url, showing="/p/", at_least=10) == few


def test_it_shows_the_parent_home_with_a_fixed_number_of_queries(cast, login, client, decide):
    for purpose in (Purpose.PHOTOS, Purpose.DIARY):
        decide(cast.daan, purpose, given=True)
    login(cast.anna, two_factor=False)
    client.get("/")
    few = count_queries(client, "/")

    add_diary(cast.daan, cast.sanne, 30)
    add_photos(cast.group_a, cast.sanne, [cast.daan], 30)
    for i in range(15):
        conversation = Conversation.objects.create(
            child=cast.daan,
            subject=f"Vraag {i}",
            started_by=cast.anna,
            last_message_at=timezone.now(),
        )
        Message.objects.create(
            conversation=conversation,
            author=cast.sanne,
            side=Side.STAFF,
            body="Antwoord",
            created_at=timezone.now(),
        )
    assert count_queries(client, "/") == few
