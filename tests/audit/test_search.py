"""Customer service searches the access log (R24); nobody else finds the page."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessEvent, AccessKind

URL = "/staff/audit/"


@pytest.fixture(autouse=True)
def _midday():
    """The events are minutes old: at midday they are all of today, whenever the suite runs."""
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(noon, tick=True):
        yield


@pytest.fixture
def logged(consented, add_event):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ, minutes_ago=5)
    add_event(consented.sanne, consented.mila, AccessKind.PHOTO_READ, minutes_ago=4)
    add_event(consented.tom, consented.finn, AccessKind.DIARY_READ, minutes_ago=3)
    add_event(consented.lotte, consented.eva, AccessKind.PHOTO_DOWNLOAD, minutes_ago=60 * 24 * 3)
    return consented


def rows(response):
    return [
        (event.user.email, event.child.first_name, event.kind)
        for event in response.context["page"].object_list
    ]


def test_it_lists_the_newest_events_first_for_customer_service(logged, login, client):
    login(logged.service)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response)[0] == ("tom@example.org", "Finn", "diary_read")
    assert len(rows(response)) == 4


@pytest.mark.parametrize("user", ["sanne", "tom", "lotte"])
def test_it_is_404_for_other_staff(logged, login, client, user):
    login(logged.users[user])
    assert client.get(URL).status_code == 404


def test_it_is_404_for_a_parent(logged, login, client):
    login(logged.anna)
    assert client.get(URL).status_code == 404


def test_it_filters_by_child_name_and_by_child_code(logged, login, client):
    login(logged.service)
    assert rows(client.get(URL, {"child": "daan de vries"})) == [
        ("sanne@example.org", "Daan", "diary_read")
    ]
    assert rows(client.get(URL, {"child": logged.mila.code})) == [
        ("sanne@example.org", "Mila", "photo_read")
    ]


def test_it_filters_by_staff_email_and_kind(logged, login, client):
    login(logged.service)
    assert rows(client.get(URL, {"staff": "SANNE@", "kind": "photo_read"})) == [
        ("sanne@example.org", "Mila", "photo_read")
    ]


def test_it_filters_by_date_range_in_local_days(logged, login, client):
    login(logged.service)
    today = timezone.localdate()
    three_days_ago = (today - timedelta(days=3)).isoformat()
    response = client.get(URL, {"start": three_days_ago, "end": three_days_ago})
    assert rows(response) == [("lotte@example.org", "Eva", "photo_download")]
    response = client.get(URL, {"start": today.isoformat()})
    assert len(rows(response)) == 3


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-02-30"}, "Voer een echte datum in"),
        ({"end": "gisteren"}, "Voer een echte datum in"),
        ({"start": "9999-12-31"}, "Voer een datum in tussen 2000 en 2100"),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "mag niet voor de begindatum"),
        ({"kind": "diary_write"}, "Selecteer een geldige keuze"),
        ({"child": "x" * 101}, "Zoek met hoogstens 100 tekens"),
    ],
)
def test_it_refuses_bad_filters_with_a_clear_message(logged, login, client, params, message):
    login(logged.service)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["page"] is None
    assert AccessEvent.objects.count() == 4


@pytest.mark.parametrize("hostile", ["'; DROP TABLE audit_accessevent; --", "%' OR 1=1 --", "_%"])
def test_it_treats_sql_like_strings_as_plain_search_terms(logged, login, client, hostile):
    login(logged.service)
    for field in ("child", "staff"):
        response = client.get(URL, {field: hostile})
        assert response.status_code == 200
        assert rows(response) == []
    assert AccessEvent.objects.count() == 4


def test_it_paginates_with_a_fixed_number_of_queries(
    consented, add_event, login, client, django_assert_num_queries
):
    login(consented.service)
    client.get(URL)  # the first request of a session does its own bookkeeping
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for minutes in range(1, 120):
        add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ, minutes_ago=minutes)
    with django_assert_num_queries(len(few)):
        response = client.get(URL, {"page": "2"})
    assert len(rows(response)) == 50
    assert "Pagina 2 van 3" in response.content.decode()


def test_it_shows_the_search_on_the_staff_home_for_customer_service_only(logged, login, client):
    login(logged.service)
    assert URL in client.get("/staff/").content.decode()
    login(logged.sanne)
    assert URL not in client.get("/staff/").content.decode()
