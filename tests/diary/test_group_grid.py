"""The group diary grid (issue 17): meals and sleep for several children at once, an entry of
their own for each child with diary consent (R2, R9), then the details per child with a "next
child" step."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.models import Purpose
from daycare.models import CareContract, Child
from diary.models import DiaryEntry


def url(cast):
    return f"/staff/diary/groups/{cast.group_a.code}/grid/"


def grid(cast, **extra):
    data = {"date": timezone.localdate().isoformat()}
    data.update(extra)
    return data


def items_of(child):
    return [entry.items for entry in DiaryEntry.objects.filter(day__child=child)]


def test_it_shows_a_row_per_consented_child_and_who_is_not_in_the_diary(
    consented, staff, client, decide
):
    cast = consented
    decide(cast.mila, Purpose.DIARY, given=False, by=cast.dewi)
    staff(cast.sanne)
    response = client.get(url(cast))
    page = response.content.decode()
    assert response.status_code == 200
    for child in (cast.daan, cast.eva):
        assert f'name="amount-{child.code}"' in page
        assert f'name="include-{child.code}"' in page
    assert cast.mila.code not in page
    assert "Niet in het dagboek" in page
    assert "Mila Bakker</strong>: Geen dagboek: geen toestemming" in page
    assert "Finn" not in page  # another group


def test_it_saves_meals_and_sleep_for_several_children_at_once(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    response = client.post(
        url(cast),
        grid(
            cast,
            meal_moment="lunch",
            all_amount="most",
            all_sleep_start="12:30",
            all_sleep_end="14:00",
            **{
                f"include-{cast.daan.code}": "on",
                f"include-{cast.eva.code}": "on",
                f"include-{cast.mila.code}": "on",
                f"amount-{cast.eva.code}": "half",
                f"sleep_start-{cast.daan.code}": "12:45",
                f"sleep_end-{cast.daan.code}": "14:10",
            },
        ),
    )
    assert response.status_code == 302
    assert response.url == f"/staff/diary/children/{cast.daan.code}/?date={timezone.localdate()}"
    assert items_of(cast.daan) == [
        {
            "meals": [{"moment": "lunch", "amount": "most", "what": ""}],
            "sleep": [{"start": "12:45", "end": "14:10"}],
        }
    ]
    assert items_of(cast.eva) == [
        {
            "meals": [{"moment": "lunch", "amount": "half", "what": ""}],
            "sleep": [{"start": "12:30", "end": "14:00"}],
        }
    ]
    assert len(items_of(cast.mila)) == 1
    entries = DiaryEntry.objects.all()
    assert {entry.author for entry in entries} == {cast.sanne}
    assert {entry.shared_code for entry in entries} == {""}  # each child's own entry
    page = client.get(response.url).content.decode()
    assert "Opgeslagen voor Daan, Eva, Mila." in page


def test_it_leaves_out_children_who_are_not_ticked(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    response = client.post(
        url(cast),
        grid(
            cast,
            meal_moment="breakfast",
            all_amount="all",
            **{f"include-{cast.eva.code}": "on"},
        ),
    )
    assert response.status_code == 302
    assert items_of(cast.daan) == items_of(cast.mila) == []
    assert len(items_of(cast.eva)) == 1


def test_it_skips_a_child_whose_consent_ended_since_the_page_and_says_so(
    consented, staff, client, decide
):
    cast = consented
    staff(cast.sanne)
    client.get(url(cast))
    decide(cast.eva, Purpose.DIARY, given=False, by=cast.anna)  # withdrawn meanwhile
    response = client.post(
        url(cast),
        grid(
            cast,
            meal_moment="lunch",
            all_amount="all",
            **{f"include-{cast.daan.code}": "on", f"include-{cast.eva.code}": "on"},
        ),
        follow=True,
    )
    page = response.content.decode()
    assert items_of(cast.eva) == []
    assert len(items_of(cast.daan)) == 1
    assert "Opgeslagen voor Daan." in page
    assert "Niet opgeslagen voor Eva: geen toestemming voor het dagboek." in page


def bad(client, cast, data, message):
    response = client.post(url(cast), grid(cast, **data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_bad_input_with_a_message_and_saves_nothing(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    daan = cast.daan.code
    bad(
        client,
        cast,
        {f"include-{daan}": "on", f"amount-{daan}": "all"},
        "Kies eerst welke maaltijd.",
    )
    bad(
        client,
        cast,
        {f"include-{daan}": "on", f"sleep_start-{daan}": "14:00", f"sleep_end-{daan}": "13:00"},
        "Het einde van de slaap moet na het begin liggen.",
    )
    bad(
        client,
        cast,
        {f"include-{daan}": "on", f"sleep_start-{daan}": "14:00"},
        "Vul in wanneer het kind in slaap viel en wakker werd.",
    )
    bad(client, cast, {f"include-{daan}": "on"}, "Vul voor minstens één kind een maaltijd")
    bad(
        client,
        cast,
        {
            "date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "meal_moment": "lunch",
            f"include-{daan}": "on",
            f"amount-{daan}": "all",
        },
        "Een dagboekdag kan niet in de toekomst liggen.",
    )
    bad(
        client,
        cast,
        {"meal_moment": "lunch", f"include-{daan}": "on", f"amount-{daan}": "everything"},
        "Selecteer een geldige keuze.",
    )


def test_it_is_404_for_strangers_and_for_children_of_another_group(consented, staff, client, login):
    cast = consented
    for user in (cast.tom, cast.anna):
        login(user)
        assert client.get(url(cast)).status_code == 404
        assert client.post(url(cast), grid(cast, meal_moment="lunch")).status_code == 404
    staff(cast.sanne)
    response = client.post(
        url(cast),
        grid(
            cast,
            meal_moment="lunch",
            all_amount="all",
            **{f"include-{cast.daan.code}": "on", f"include-{cast.finn.code}": "on"},
        ),
    )
    assert response.status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_steps_to_the_next_child_with_diary_consent(consented, staff, client, decide):
    cast = consented
    decide(cast.mila, Purpose.DIARY, given=False, by=cast.dewi)
    staff(cast.sanne)
    today = timezone.localdate().isoformat()
    daan = f"/staff/diary/children/{cast.daan.code}/?date={today}"
    page = client.get(daan).content.decode()
    assert "Volgende kind: Eva" in page and "Opslaan, dan Eva" in page
    response = client.post(daan, {"date": today, "mood": "happy", "then": "next"})
    assert response.status_code == 302
    assert response.url == f"/staff/diary/children/{cast.eva.code}/?date={today}"
    assert items_of(cast.daan) == [{"mood": "happy"}]
    # Eva is the last child with diary consent (Mila has none): back to the group.
    page = client.get(response.url).content.decode()
    assert "Volgende kind" not in page and "Terug naar de groep" in page
    # Saving without "next" stays with the child.
    response = client.post(daan, {"date": today, "mood": "tired"})
    assert response.url == daan


def test_it_links_the_grid_from_the_group_diary(consented, staff, client):
    staff(consented.sanne)
    page = client.get(f"/staff/diary/groups/{consented.group_a.code}/").content.decode()
    assert f"/staff/diary/groups/{consented.group_a.code}/grid/" in page
    assert "Maaltijden en slaap voor de groep" in page


def test_it_renders_the_grid_with_fixed_queries(
    consented, staff, client, django_assert_num_queries
):
    cast = consented
    staff(cast.sanne)
    client.get(url(cast))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(cast)).status_code == 200
    for n in range(17):
        child = Child.objects.create(
            first_name=f"Kind{n:02d}",
            last_name="Test",
            date_of_birth=date(2024, 1, 1),
            group=cast.group_a,
        )
        CareContract.objects.create(child=child, group=cast.group_a, start_date=date(2025, 1, 1))
    with django_assert_num_queries(len(few)):
        assert client.get(url(cast)).status_code == 200
