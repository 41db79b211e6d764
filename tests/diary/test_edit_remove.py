"""Authors correct or remove their own entries the same day (Europe/Amsterdam); the parent sees
that an entry was edited; location managers remove any entry of their location."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from diary.models import DiaryDay, DiaryEntry

AMS = ZoneInfo("Europe/Amsterdam")


def test_it_lets_the_author_correct_and_shows_the_parent_it_was_edited(
    consented, staff, client, login, entry_on
):
    cast = consented
    entry = entry_on(cast.daan, text="Daan at zijn bord leeg", items={"mood": "tired"})
    staff(cast.sanne)
    url = f"/staff/diary/entries/{entry.code}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Daan at zijn bord half leeg", "mood": "content"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Daan at zijn bord half leeg"
    assert entry.items == {"mood": "content"}
    assert entry.edited_at is not None
    login(cast.anna)
    page = client.get(f"/diary/{cast.daan.code}/").content.decode()
    assert "bewerkt om" in page
    assert "Daan at zijn bord half leeg" in page


def test_it_refuses_a_correction_on_a_later_day(consented, staff, client, cast):
    with time_machine.travel(datetime(2026, 11, 24, 23, 50, tzinfo=AMS), tick=False):
        day = DiaryDay.objects.create(child=cast.daan, date=datetime(2026, 11, 24).date())
        entry = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Laat")
    staff(cast.sanne)
    with time_machine.travel(datetime(2026, 11, 24, 23, 59, tzinfo=AMS), tick=False):
        assert client.get(f"/staff/diary/entries/{entry.code}/edit/").status_code == 200
    with time_machine.travel(datetime(2026, 11, 25, 0, 0, 1, tzinfo=AMS), tick=False):
        response = client.post(f"/staff/diary/entries/{entry.code}/edit/", {"text": "Anders"})
        assert response.status_code == 302
        response = client.post(f"/staff/diary/entries/{entry.code}/remove/")
    entry.refresh_from_db()
    assert entry.text == "Laat"


def test_it_refuses_correcting_someone_elses_entry(consented, staff, client, entry_on):
    cast = consented
    entry = entry_on(cast.daan, text="Van Sanne")
    staff(cast.lotte)
    response = client.post(f"/staff/diary/entries/{entry.code}/edit/", {"text": "Lotte"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Van Sanne" and entry.edited_at is None


def test_it_refuses_an_empty_correction(consented, staff, client, entry_on):
    cast = consented
    entry = entry_on(cast.daan, text="Iets")
    staff(cast.sanne)
    response = client.post(f"/staff/diary/entries/{entry.code}/edit/", {"text": ""})
    assert response.status_code == 400
    assert "Schrijf een tekst of vul ten minste één dagonderdeel in." in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Iets"


def test_it_lets_the_author_remove_the_same_day(consented, staff, client, entry_on):
    cast = consented
    entry = entry_on(cast.daan)
    staff(cast.sanne)
    assert client.post(f"/staff/diary/entries/{entry.code}/remove/").status_code == 302
    assert not DiaryEntry.objects.exists()
    assert not DiaryDay.objects.exists()


def test_it_lets_the_location_manager_remove_any_entry_of_the_location(
    consented, staff, client, cast
):
    day = DiaryDay.objects.create(child=cast.daan, date=datetime(2026, 1, 5).date())
    entry = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Oud")
    staff(cast.lotte)
    assert client.post(f"/staff/diary/entries/{entry.code}/remove/").status_code == 302
    assert not DiaryEntry.objects.exists()


def test_it_keeps_other_group_workers_out_with_404(consented, staff, client, entry_on):
    cast = consented
    entry = entry_on(cast.daan)
    staff(cast.tom)
    assert client.get(f"/staff/diary/entries/{entry.code}/edit/").status_code == 404
    assert client.post(f"/staff/diary/entries/{entry.code}/remove/").status_code == 404
    assert client.post(f"/staff/diary/entries/{entry.code}/read/").status_code == 404
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_a_sanne_entry_removal_by_another_worker_of_the_group(
    consented, staff, client, entry_on, cast
):
    from daycare.models import StaffAssignment

    StaffAssignment.objects.create(
        user=cast.tom, role=StaffAssignment.Role.GROUP_WORKER, group=cast.group_a
    )
    entry = entry_on(cast.daan)
    staff(cast.tom)
    response = client.post(f"/staff/diary/entries/{entry.code}/remove/")
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()
