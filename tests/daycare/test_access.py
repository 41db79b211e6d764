"""Who sees which child (daycare/access.py): guardians, group workers, managers, service."""

import pytest

from daycare.models import Child

pytestmark = pytest.mark.django_db


def names(user):
    return sorted(Child.objects.visible_to(user).values_list("first_name", flat=True))


def test_it_shows_guardians_their_own_children(cast):
    assert names(cast.anna) == ["Daan", "Eva"]
    assert names(cast.chris) == ["Daan"]
    assert names(cast.bram) == ["Finn"]


def test_it_shows_group_workers_the_children_of_their_groups(cast):
    assert names(cast.sanne) == ["Daan", "Eva", "Mila"]
    assert names(cast.tom) == ["Finn"]


def test_it_shows_a_location_manager_the_whole_location(cast):
    assert names(cast.lotte) == ["Daan", "Eva", "Lieke", "Mila", "Noor", "Sem"]


def test_it_shows_customer_service_everyone(cast):
    assert len(names(cast.service)) == 7


def test_it_hides_archived_children_from_everyone(cast):
    from django.utils import timezone

    Child.objects.filter(pk=cast.daan.pk).update(archived_at=timezone.now())
    assert names(cast.anna) == ["Eva"]
    assert "Daan" not in names(cast.sanne)
    assert "Daan" not in names(cast.service)


def test_it_answers_404_to_a_stranger_on_another_familys_child(client, cast, login):
    login(cast.bram)
    assert client.get(f"/children/{cast.daan.code}/").status_code == 404
    login(cast.anna)
    assert client.get(f"/children/{cast.daan.code}/").status_code == 200


def test_it_answers_404_for_a_code_that_does_not_exist(client, cast, login):
    login(cast.anna)
    assert client.get("/children/AAAAAAAAAAAAAAAA/").status_code == 404


def test_it_never_puts_primary_keys_in_child_urls(client, cast, login):
    login(cast.anna)
    assert client.get(f"/children/{cast.daan.pk}/").status_code == 404


def test_it_answers_404_to_a_worker_of_another_group_on_staff_pages(client, cast, login):
    login(cast.tom)
    assert client.get(f"/staff/children/{cast.daan.code}/").status_code == 404
    assert client.get(f"/staff/groups/{cast.group_a.code}/").status_code == 404
    login(cast.sanne)
    assert client.get(f"/staff/children/{cast.daan.code}/").status_code == 200
    assert client.get(f"/staff/groups/{cast.group_a.code}/").status_code == 200


def test_it_shows_anna_her_children_with_group_and_location(client, cast, login):
    login(cast.anna)
    page = client.get("/")
    assert "Daan" in page.text and "Eva" in page.text
    assert "Groep A" in page.text and "Kindercentrum De Zonnebloem" in page.text
    assert "Mila" not in page.text


def test_it_shows_sanne_her_group_on_the_staff_home(client, cast, login):
    login(cast.sanne)
    page = client.get("/staff/")
    assert "Groep A" in page.text
    assert "Groep B" not in page.text and "Finn" not in page.text


def test_it_sends_staff_without_children_from_home_to_staff_home(client, cast, login):
    login(cast.sanne)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_it_keeps_the_staff_home_query_count_fixed(
    client, cast, login, django_assert_max_num_queries
):
    from daycare.models import Group

    login(cast.lotte)
    client.get("/staff/")  # warm up session and caches
    for i in range(10):
        group = Group.objects.create(location=cast.loc1, name=f"Extra {i}")
        for j in range(3):
            Child.objects.create(
                first_name=f"K{i}{j}", last_name="X", date_of_birth="2024-01-01", group=group
            )
    # Panels of other apps add their own (fixed) queries; what matters is no growth with data.
    with django_assert_max_num_queries(40) as captured:
        client.get("/staff/")
    first = len(captured.captured_queries)
    for i in range(10, 20):
        group = Group.objects.create(location=cast.loc1, name=f"Extra {i}")
        Child.objects.create(
            first_name=f"K{i}", last_name="X", date_of_birth="2024-01-01", group=group
        )
    with django_assert_max_num_queries(first):
        client.get("/staff/")
