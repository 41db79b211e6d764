"""The print view of a period, and the staff group overview (fixed queries for 20 children)."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.models import Purpose
from daycare.models import CareContract, Child
from diary.models import DiaryEntry


def test_it_prints_the_days_of_a_period_oldest_first(consented, login, client, entry_on):
    cast = consented
    entry_on(cast.daan, days_ago=2, text="Eerder")
    entry_on(cast.daan, days_ago=1, text="Later")
    entry_on(cast.daan, days_ago=40, text="Buiten de periode")
    login(cast.anna)
    today = timezone.localdate()
    start = (today - timedelta(days=10)).isoformat()
    page = client.get(f"/diary/{cast.daan.code}/print/?from={start}&to={today}").content.decode()
    assert page.index("Eerder") < page.index("Later")
    assert "Buiten de periode" not in page
    assert "Dagboek van Daan de Vries" in page


def test_it_refuses_a_bad_period_with_a_message(consented, login, client):
    cast = consented
    login(cast.anna)
    base = f"/diary/{cast.daan.code}/print/"
    for query, message in (
        (
            "?from=2026-11-10&to=2026-11-01",
            "Het einde van de periode mag niet voor het begin liggen.",
        ),
        ("?from=gisteren&to=2026-11-01", "Vul de periode in als twee datums"),
        ("?from=2020-01-01&to=2026-11-01", "Kies een periode van hoogstens een jaar."),
    ):
        response = client.get(base + query)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_it_prints_for_staff_and_is_closed_without_consent(
    consented, login, client, entry_on, decide
):
    cast = consented
    entry_on(cast.daan, text="Print mij")
    login(cast.sanne)
    assert (
        "Print mij" in client.get(f"/staff/diary/children/{cast.daan.code}/print/").content.decode()
    )
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    assert client.get(f"/staff/diary/children/{cast.daan.code}/print/").status_code == 403


def test_it_shows_consent_and_entry_status_per_child(consented, login, client, entry_on, decide):
    cast = consented
    entry_on(cast.daan)
    decide(cast.mila, Purpose.DIARY, given=False, by=cast.dewi)
    login(cast.sanne)
    page = client.get(f"/staff/diary/groups/{cast.group_a.code}/").content.decode()
    assert "1 bericht, laatste om" in page
    assert "Geen dagboek: geen toestemming" in page
    assert "Nog niets geschreven" in page  # Eva


def test_it_refuses_a_future_overview_date_with_a_message(consented, login, client):
    login(consented.sanne)
    response = client.get(f"/staff/diary/groups/{consented.group_a.code}/?date=2999-01-01")
    assert "kan niet in de toekomst liggen; u ziet vandaag" in response.content.decode()


def test_it_answers_404_for_another_groups_overview(consented, login, client):
    login(consented.tom)
    assert client.get(f"/staff/diary/groups/{consented.group_a.code}/").status_code == 404


def test_it_renders_the_group_overview_of_20_children_with_fixed_queries(
    consented, login, client, entry_on, decide, django_assert_num_queries
):
    cast = consented
    entry_on(cast.daan)
    login(cast.sanne)
    url = f"/staff/diary/groups/{cast.group_a.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(17):
        child = Child.objects.create(
            first_name=f"Kind{n:02d}",
            last_name="Test",
            date_of_birth=date(2024, 1, 1),
            group=cast.group_a,
        )
        CareContract.objects.create(child=child, group=cast.group_a, start_date=date(2025, 1, 1))
        entry_on(child, text="hallo")
    assert cast.group_a.children.count() == 20
    with django_assert_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count('class="child-tile') == 20
    assert DiaryEntry.objects.count() == 18
