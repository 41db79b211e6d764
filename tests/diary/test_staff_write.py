"""Staff write a child's day: quick-fill items and text; bad input is refused, nothing saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from diary.models import DiaryDay, DiaryEntry
from diary.services import TEXT_MAX


def _post(client, child, **data):
    payload = {"date": timezone.localdate().isoformat(), "meal_amount": "all", **data}
    return client.post(f"/staff/diary/children/{child.code}/", payload)


def test_it_saves_text_and_day_items_for_a_child_of_my_group(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    response = _post(
        client,
        cast.daan,
        text="Daan heeft een toren gebouwd.",
        meal_moment="lunch",
        meal_amount="most",
        meal_what="pasta",
        sleep_start="12:30",
        sleep_end="14:05",
        nappy_kind="wet",
        nappy_time="10:15",
        mood="happy",
        activities=["outdoor", "music"],
    )
    assert response.status_code == 302
    entry = DiaryEntry.objects.get()
    assert entry.day.child == cast.daan
    assert entry.day.date == timezone.localdate()
    assert entry.author == cast.sanne
    assert entry.items == {
        "meals": [{"moment": "lunch", "amount": "most", "what": "pasta"}],
        "sleep": [{"start": "12:30", "end": "14:05"}],
        "nappies": [{"time": "10:15", "kind": "wet"}],
        "mood": "happy",
        "activities": ["outdoor", "music"],
    }


def test_it_adds_to_the_same_day_during_the_day(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    _post(client, cast.daan, sleep_start="12:30", sleep_end="14:00")
    _post(client, cast.daan, nappy_kind="dirty", nappy_time="15:00")
    assert DiaryDay.objects.count() == 1
    assert DiaryEntry.objects.count() == 2
    page = client.get(f"/staff/diary/children/{cast.daan.code}/").content.decode()
    assert "12:30 – 14:00" in page
    assert "15:00" in page


def test_it_accepts_a_day_in_the_past_week(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _post(client, cast.daan, date=yesterday.isoformat(), text="Gisteren vergeten")
    assert response.status_code == 302
    assert DiaryDay.objects.get().date == yesterday


SLEEP_ORDER = "Het einde van de slaap moet na het begin liggen."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Schrijf een tekst of vul ten minste één dagonderdeel in."),
        ({"text": "x" * (TEXT_MAX + 1)}, "4000"),
        (
            {"sleep_start": "14:00", "sleep_end": "12:30"},
            "Het einde van de slaap moet na het begin liggen.",
        ),
        (
            {"sleep_start": "14:00", "sleep_end": "14:00"},
            "Het einde van de slaap moet na het begin liggen.",
        ),
        ({"sleep_start": "14:00"}, "Vul in wanneer het kind in slaap viel en wakker werd."),
        ({"sleep_start": "25:00", "sleep_end": "26:00"}, "geldige tijd"),
        ({"meal_moment": "midnight_feast"}, "geldige keuze"),
        ({"mood": "<script>"}, "geldige keuze"),
        ({"activities": ["skydiving"]}, "geldige keuze"),
        ({"nappy_kind": "wet", "nappy_time": ""}, "Vul de tijd van de verschoning in."),
        ({"meal_moment": "lunch", "meal_what": "x" * 101}, "100"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(
    consented, staff, client, data, message
):
    staff(consented.sanne)
    response = _post(client, consented.daan, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiaryEntry.objects.exists()
    assert not DiaryDay.objects.exists()


def test_it_refuses_a_date_in_the_future(consented, staff, client):
    staff(consented.sanne)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(client, consented.daan, date=tomorrow.isoformat(), text="Morgen")
    assert response.status_code == 400
    assert "Een dagboekdag kan niet in de toekomst liggen." in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_date_long_ago(consented, staff, client):
    staff(consented.sanne)
    response = _post(client, consented.daan, date="2001-01-01", text="Vroeger")
    assert response.status_code == 400
    assert "laatste 7 dagen" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_an_impossible_date(consented, staff, client):
    staff(consented.sanne)
    response = _post(client, consented.daan, date="2026-02-31", text="Nooit")
    assert response.status_code == 400
    assert not DiaryEntry.objects.exists()


def test_it_answers_404_for_a_child_of_another_group(consented, staff, client):
    cast = consented
    staff(cast.tom)  # group B
    response = _post(client, cast.daan, text="Niet mijn groep")
    assert response.status_code == 404
    assert client.get(f"/staff/diary/children/{cast.daan.code}/").status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_answers_404_for_a_forged_child_code(consented, staff, client):
    staff(consented.sanne)
    assert _post(client, type("C", (), {"code": "A" * 16})(), text="x").status_code == 404


def test_it_keeps_parents_out_of_the_staff_pages(consented, login, client):
    login(consented.anna)
    assert client.get(f"/staff/diary/children/{consented.daan.code}/").status_code == 404
    assert client.get(f"/staff/diary/groups/{consented.group_a.code}/").status_code == 404
