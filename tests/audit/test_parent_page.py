"""Parents see, per child, who on the staff viewed its diary and photos (R24)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessKind, AccessRole


def url(child):
    return f"/audit/children/{child.code}/"


def test_it_shows_a_guardian_who_viewed_their_child(consented, add_event, login, client):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ, minutes_ago=2)
    add_event(consented.lotte, consented.daan, AccessKind.PHOTO_READ, minutes_ago=1)
    add_event(consented.sanne, consented.mila, AccessKind.DIARY_READ)  # another family
    for parent in (consented.anna, consented.chris):
        login(parent)
        response = client.get(url(consented.daan))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Sanne Mulder" in page and "Lotte" in page
        assert "pedagogisch medewerker" in page and "vestigingsmanager" in page
        assert [e.child for e in response.context["page"].object_list] == [consented.daan] * 2


def test_it_leaves_out_the_parents_own_exports(consented, add_event, login, client):
    add_event(consented.anna, consented.daan, AccessKind.EXPORT_CREATED, role=AccessRole.GUARDIAN)
    add_event(consented.service, consented.daan, AccessKind.EXPORT_CREATED)
    login(consented.chris)
    events = client.get(url(consented.daan)).context["page"].object_list
    assert [(e.user, e.kind) for e in events] == [(consented.service, "export_created")]


def test_it_groups_the_events_per_local_day(consented, add_event, login, client):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ, minutes_ago=60 * 24 * 2)
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ, minutes_ago=1)
    login(consented.anna)
    days = list(client.get(url(consented.daan)).context["days"])
    assert len(days) == 2 and days[0][0] > days[1][0]


def test_it_never_shows_staff_email_addresses_to_parents(consented, add_event, login, client):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    login(consented.anna)
    assert "sanne@example.org" not in client.get(url(consented.daan)).content.decode()


@pytest.mark.parametrize("user", ["dewi", "bram", "sanne", "service"])
def test_it_is_404_for_anyone_but_the_guardians(consented, login, client, user):
    login(consented.users[user])
    assert client.get(url(consented.daan)).status_code == 404


def test_it_is_404_for_a_made_up_code(consented, login, client):
    login(consented.anna)
    assert client.get("/audit/children/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404


def test_it_has_a_fixed_number_of_queries(
    consented, add_event, login, client, django_assert_num_queries
):
    login(consented.anna)
    client.get(url(consented.daan))
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    with CaptureQueriesContext(connection) as few:
        client.get(url(consented.daan))
    for minutes in range(1, 60):
        add_event(consented.lotte, consented.daan, AccessKind.PHOTO_READ, minutes_ago=minutes)
    with django_assert_num_queries(len(few)):
        client.get(url(consented.daan))


def test_it_is_linked_from_the_child_page_without_a_query_per_child(consented, login, client):
    login(consented.anna)
    assert url(consented.daan) in client.get(f"/children/{consented.daan.code}/").content.decode()
    more = client.get("/more/").content.decode()  # Meer: each child's own pages (issue 17)
    assert url(consented.daan) in more and url(consented.eva) in more
