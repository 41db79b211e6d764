"""List pages the feature apps' own tests do not yet count: their number of queries stays the
same however much data there is (issue 10). The scaled data of bench/ proves the same at
10,000 children (bench/queries.py); these tests make a regression fail in the suite.

Already counted elsewhere (not repeated here): the diary timeline and group overview
(tests/diary), the photos selector for the diary (tests/photos), the inboxes and a
conversation (tests/messaging), the absences day overview (tests/absences), the news list and
home (tests/newsletters), the staff home (tests/daycare), the retention archive and the
parent's data page (tests/retention), the consent of a group (tests/consent), the access log
(tests/audit)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from absences.models import Absence
from consent.models import Channel, PrivacyStatement, Purpose
from consent.services import consent_decide
from daycare.models import CareContract, Child, Group, Guardianship, Location
from diary.models import DiaryDay, DiaryEntry
from messaging.models import Conversation, Message, Side
from newsletters.models import Publication
from retention.models import DataRequest
from tests.photos.conftest import add_photos

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
    # Vandaag reads the entries of its days in a query of their own: one day to start with.
    old = DiaryDay.objects.create(child=cast.daan, date=timezone.localdate() - timedelta(days=40))
    DiaryEntry.objects.create(day=old, kind="staff", author=cast.sanne, text="Goede dag")
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


def add_locations(n, *, guardian=None):
    """``n`` locations with a group each; with ``guardian``, a child of theirs in every group."""
    groups = []
    for i in range(n):
        location = Location.objects.create(
            name=f"Perflocatie {i:02}",
            street=f"Perfstraat {i}",
            postal_code="3500 AA",
            city="Utrecht",
            phone="030 000 00 00",
            email=f"perf{i}@example.org",
        )
        group = Group.objects.create(location=location, name="Perfgroep")
        if guardian:
            add_children(None, group, 1, guardian=guardian)
        groups.append(group)
    return groups


def test_it_shows_the_parent_absences_with_a_fixed_number_of_queries(
    cast, login, client, statement
):
    today = timezone.localdate()
    Absence.objects.create(
        child=cast.eva,
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=1),
        reason="sick",
        reported_by=cast.anna,
    )
    login(cast.anna, two_factor=False)
    url = "/absences/"
    client.get(url)
    few = count_queries(client, url)

    # more children to report (in another location too), reports by a second guardian and by
    # the staff, notes, periods, past and withdrawn reports: still the same queries
    children = [cast.daan, cast.eva]
    children += add_children(cast, cast.group_a, 10, guardian=cast.anna)
    children += add_children(cast, cast.group_b, 5, guardian=cast.anna)
    Absence.objects.bulk_create(
        [
            Absence(
                child=children[i % len(children)],
                start_date=today + timedelta(days=1 + i),
                end_date=today + timedelta(days=1 + i + i % 3),
                reason=("sick", "other")[i % 2],
                note=f"Notitie {i}" if i % 2 else "",
                reported_by=(cast.anna, cast.chris, cast.sanne)[i % 3],
            )
            for i in range(30)
        ]
        + [
            Absence(
                child=cast.daan,
                start_date=today - timedelta(days=10),
                end_date=today - timedelta(days=9),
                reason="sick",
                reported_by=cast.anna,
            ),
            Absence(
                child=cast.daan,
                start_date=today + timedelta(days=40),
                end_date=today + timedelta(days=40),
                reason="sick",
                reported_by=cast.anna,
                withdrawn_at=timezone.now(),
            ),
        ]
    )
    assert count_queries(client, url, showing="/withdraw/", at_least=31) == few


def test_it_shows_the_staff_news_list_with_a_fixed_number_of_queries(cast, login, client):
    Publication.objects.create(title="Perfbericht", created_by=cast.lotte).locations.add(cast.loc1)
    login(cast.service)
    url = "/staff/newsletters/"
    client.get(url)
    few = count_queries(client, url)

    # news and newsletters for one location, for both, for all, and scheduled ones
    now = timezone.now()
    for i in range(40):
        publication = Publication.objects.create(
            kind=("news", "newsletter")[i % 2],
            title=f"Perfbericht {i}",
            for_all_locations=i % 4 == 0,
            published_at=now + timedelta(days=1) if i % 5 == 0 else now - timedelta(days=i),
            created_by=(cast.lotte, cast.service)[i % 2],
        )
        if i % 4 == 1:
            publication.locations.add(cast.loc1)
        elif i % 4 in (2, 3):
            publication.locations.add(cast.loc1, cast.loc2)
    assert count_queries(client, url, showing="Perfbericht", at_least=41) == few


def test_it_shows_the_data_request_queue_with_a_fixed_number_of_queries(cast, login, client):
    today = timezone.localdate()
    DataRequest.objects.create(
        requested_by=cast.anna, kind="access", explanation="Inzage", deadline=today
    )
    login(cast.service)
    url = "/staff/retention/requests/?closed=1"
    client.get(url)
    few = count_queries(client, url)

    # requests of several parents, about a child or not, taken in hand, overdue, near the
    # deadline, and closed ones (shown with ?closed=1)
    statuses = list(DataRequest.Status.values)
    DataRequest.objects.bulk_create(
        [
            DataRequest(
                requested_by=(cast.anna, cast.dewi, cast.bram, cast.fleur)[i % 4],
                kind=DataRequest.Kind.values[i % 3],
                about_child=i % 2 == 0,
                child=(cast.daan, cast.mila, cast.finn, cast.noor)[i % 4] if i % 2 == 0 else None,
                explanation=f"Verzoek {i}",
                deadline=today + timedelta(days=i - 10),
                status=statuses[i % 4],
                handler=cast.service if i % 4 else None,
            )
            for i in range(40)
        ]
    )
    assert count_queries(client, url, showing="/staff/retention/requests/", at_least=41) == few


def test_it_shows_the_parent_location_list_with_a_fixed_number_of_queries(
    cast, login, client, statement
):
    # with children at one location the list is a redirect: a second location makes it a list
    add_children(cast, cast.group_b, 1, guardian=cast.anna)
    login(cast.anna, two_factor=False)
    url = "/locations/"
    client.get(url)
    few = count_queries(client, url, showing="Vogelnest", at_least=1)

    add_locations(15, guardian=cast.anna)
    assert count_queries(client, url, showing="Perflocatie", at_least=15) == few


def test_it_shows_the_staff_location_list_with_a_fixed_number_of_queries(cast, login, client):
    login(cast.service)
    url = "/staff/locations/"
    client.get(url)
    few = count_queries(client, url)

    add_locations(15)
    assert count_queries(client, url, showing="Perflocatie", at_least=15) == few


def test_it_shows_the_staff_messaging_groups_with_a_fixed_number_of_queries(cast, login, client):
    """The inbox of one group is counted in tests/messaging; this is the page before it, every
    group of the worker with its number of conversations waiting for an answer."""
    login(cast.lotte)
    url = "/staff/messaging/"
    client.get(url)
    few = count_queries(client, url)

    now = timezone.now()
    for i in range(10):
        group = Group.objects.create(location=cast.loc1, name=f"Perfgroep {i}")
        for child in add_children(cast, group, 3, guardian=cast.dewi):
            for k in range(3):
                Conversation.objects.create(
                    child=child,
                    subject=f"Vraag {k}",
                    started_by=cast.dewi,
                    last_message_at=now - timedelta(minutes=k),
                    awaiting_staff_reply=k != 0,
                )
    assert count_queries(client, url, showing="/staff/messaging/groups/", at_least=12) == few


def test_it_shows_the_consent_history_of_a_child_with_a_fixed_number_of_queries(
    cast, login, client, decide
):
    decide(cast.daan, Purpose.PHOTOS, given=True, by=cast.anna)
    login(cast.service)
    url = f"/staff/consent/children/{cast.daan.code}/history/"
    client.get(url)
    few = count_queries(client, url)

    # decisions by both guardians, on both purposes, paper decisions recorded by customer
    # service, under two versions of the privacy statement
    for i in range(30):
        if i == 15:
            PrivacyStatement.objects.create(
                version=2, text_nl="Versie 2", text_en="Version 2", published_at=timezone.now()
            )
        paper = i % 3 == 0
        consent_decide(
            child=cast.daan,
            purpose=Purpose.values[i % 2],
            given=i % 4 < 2,
            decided_by=(cast.anna, cast.chris)[i % 2],
            recorded_by=cast.service if paper else None,
            channel=Channel.PAPER if paper else Channel.PORTAL,
        )
    assert count_queries(client, url, showing="<td>v", at_least=31) == few
