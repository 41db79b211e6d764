import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Publication, ReadMark

from .helpers import publication


@pytest.fixture
def anna(cast, statement, login):
    return login(cast.anna)


def test_it_shows_news_of_my_location_and_the_organisation_on_the_home_page(anna, cast):
    publication("Lampionnen", locations=[cast.loc1])
    publication("Kerstvakantie", for_all=True)
    publication("Moestuin", locations=[cast.loc2])
    text = anna.get(reverse("home")).text
    assert "Lampionnen" in text and "Kerstvakantie" in text
    assert "Moestuin" not in text


def test_it_orders_newest_first_and_marks_unread(anna, cast):
    old = publication("Oud", locations=[cast.loc1], days_ago=3)
    publication("Nieuw", locations=[cast.loc1], days_ago=1)
    ReadMark.objects.create(user=cast.anna, publication=old)
    items = list(anna.get(reverse("newsletters:list")).context["page"].object_list)
    assert [(i.title, i.is_read) for i in items] == [("Nieuw", False), ("Oud", True)]


def test_opening_an_item_marks_it_read(anna, cast):
    item = publication("Lampionnen", locations=[cast.loc1])
    assert anna.get(reverse("newsletters:detail", kwargs={"code": item.code})).status_code == 200
    assert ReadMark.objects.filter(user=cast.anna, publication=item).exists()


def test_a_scheduled_item_is_hidden_until_its_time(anna, cast):
    later = timezone.now() + datetime.timedelta(hours=2)
    item = publication("Straks", locations=[cast.loc1], published_at=later)
    assert "Straks" not in anna.get(reverse("newsletters:list")).text
    assert anna.get(reverse("newsletters:detail", kwargs={"code": item.code})).status_code == 404
    Publication.objects.filter(pk=item.pk).update(published_at=timezone.now())
    assert "Straks" in anna.get(reverse("newsletters:list")).text


def test_a_parent_of_location_2_gets_404_for_location_1(cast, statement, login):
    item = publication("Lampionnen", locations=[cast.loc1])
    item.image_key = default_storage.save("newsletters/xx/test.png", ContentFile(b"x"))
    item.save()
    client = login(cast.bram)
    assert "Lampionnen" not in client.get(reverse("newsletters:list")).text
    for name in ("detail", "image", "pdf"):
        assert (
            client.get(reverse(f"newsletters:{name}", kwargs={"code": item.code})).status_code
            == 404
        )


def test_a_parent_whose_children_are_archived_sees_no_news(cast, statement, login):
    from daycare.models import Child

    Child.objects.filter(guardianships__user=cast.fleur).update(archived_at=timezone.now())
    publication("Kerstvakantie", for_all=True)
    assert "Kerstvakantie" not in login(cast.fleur).get(reverse("newsletters:list")).text


def test_the_list_is_paginated(anna, cast):
    for i in range(25):
        publication(f"Bericht {i:02}", locations=[cast.loc1], days_ago=i)
    page2 = anna.get(reverse("newsletters:list"), {"page": 2}).context["page"]
    assert next(i.title for i in page2.object_list) == "Bericht 10"
    assert page2.paginator.num_pages == 3


def test_a_parent_who_refused_every_consent_reads_news(cast, decide, login):
    """R3: news needs no consent."""
    from consent.models import Purpose

    for child in (cast.daan, cast.eva):
        for purpose in (Purpose.PHOTOS, Purpose.DIARY):
            decide(child, purpose, given=False)
    item = publication("Lampionnen", locations=[cast.loc1])
    client = login(cast.anna)
    assert "Lampionnen" in client.get(reverse("home")).text
    assert client.get(reverse("newsletters:detail", kwargs={"code": item.code})).status_code == 200


def _home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("newsletters:list"), {"page": 3}).status_code == 200
    return len(ctx.captured_queries)


def test_home_and_list_queries_do_not_grow_with_five_years_of_news(anna, cast):
    for i in range(40):
        publication(f"Bericht {i}", locations=[cast.loc1], days_ago=i)
    _home_queries(anna)
    few = _home_queries(anna)
    now = timezone.now()
    items = Publication.objects.bulk_create(
        Publication(
            title=f"Oud {i}", body="<p>x</p>", published_at=now - datetime.timedelta(days=i)
        )
        for i in range(5 * 365)
    )
    Publication.locations.through.objects.bulk_create(
        Publication.locations.through(publication=item, location=cast.loc1) for item in items
    )
    assert _home_queries(anna) == few
