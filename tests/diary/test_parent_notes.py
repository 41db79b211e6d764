"""A parent adds a note for the staff; staff see new parent notes on their home page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from consent.models import Purpose
from diary.models import DiaryEntry


def test_it_adds_a_parent_note_that_staff_see_on_their_home_page(consented, login, client, staff):
    cast = consented
    login(cast.anna)
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "Slecht geslapen vannacht"})
    assert response.status_code == 302
    note = DiaryEntry.objects.get()
    assert note.kind == "parent" and note.author == cast.anna and note.items == {}
    assert "Slecht geslapen vannacht" in client.get(f"/diary/{cast.daan.code}/").content.decode()

    staff(cast.sanne)
    home = client.get("/staff/").content.decode()
    assert "Nieuwe berichten van ouders" in home and "Slecht geslapen vannacht" in home
    assert client.post(f"/staff/diary/entries/{note.code}/read/").status_code == 302
    assert "Slecht geslapen vannacht" not in client.get("/staff/").content.decode()
    note.refresh_from_db()
    assert note.read_by == cast.sanne


def test_it_does_not_show_parent_notes_to_other_groups_or_without_consent(
    consented, login, client, staff, decide
):
    cast = consented
    login(cast.anna)
    client.post(f"/diary/{cast.daan.code}/note/", {"text": "Alleen voor groep A"})
    staff(cast.tom)
    assert "Alleen voor groep A" not in client.get("/staff/").content.decode()
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.chris)
    staff(cast.sanne)
    assert "Alleen voor groep A" not in client.get("/staff/").content.decode()


def test_it_refuses_an_empty_or_absurdly_long_parent_note(consented, login, client):
    cast = consented
    login(cast.anna)
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "   "})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "a" * 4001})
    assert response.status_code == 400
    assert "4000" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_parent_note_for_another_familys_child(consented, login, client):
    cast = consented
    login(cast.dewi)
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "Niet mijn kind"})
    assert response.status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_parent_note_without_consent(cast, decide, login, client):
    decide(cast.daan, Purpose.DIARY, given=False)
    login(cast.anna)
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "Toch proberen"})
    assert response.status_code == 403
    assert not DiaryEntry.objects.exists()


def test_it_lets_the_parent_change_and_remove_the_note_the_same_day(consented, login, client):
    cast = consented
    login(cast.anna)
    client.post(f"/diary/{cast.daan.code}/note/", {"text": "Eerst"})
    note = DiaryEntry.objects.get()
    assert client.post(f"/diary/notes/{note.code}/edit/", {"text": "Daarna"}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Daarna" and note.edited_at
    login(cast.chris)  # the other guardian sees it but cannot change it
    client.post(f"/diary/notes/{note.code}/edit/", {"text": "Chris"})
    client.post(f"/diary/notes/{note.code}/remove/")
    note.refresh_from_db()
    assert note.text == "Daarna"
    login(cast.dewi)
    assert client.get(f"/diary/notes/{note.code}/edit/").status_code == 404
    assert client.post(f"/diary/notes/{note.code}/remove/").status_code == 404
    login(cast.anna)
    assert client.post(f"/diary/notes/{note.code}/remove/").status_code == 302
    assert not DiaryEntry.objects.exists()


def test_it_refuses_changing_a_parent_note_the_next_day(consented, login, client):
    cast = consented
    ams = ZoneInfo("Europe/Amsterdam")
    login(cast.anna)
    with time_machine.travel(datetime(2026, 11, 24, 21, 0, tzinfo=ams), tick=False):
        client.post(f"/diary/{cast.daan.code}/note/", {"text": "Avond"})
    note = DiaryEntry.objects.get()
    with time_machine.travel(datetime(2026, 11, 25, 7, 0, tzinfo=ams), tick=False):
        response = client.post(f"/diary/notes/{note.code}/edit/", {"text": "Ochtend"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Avond"


def test_it_keeps_staff_from_adding_parent_notes(consented, login, client):
    login(consented.sanne)
    response = client.post(f"/diary/{consented.daan.code}/note/", {"text": "Als ouder"})
    assert response.status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_marks_a_note_read_from_the_child_page_and_refuses_foreign_redirects(
    consented, login, client, staff
):
    cast = consented
    login(cast.anna)
    client.post(f"/diary/{cast.daan.code}/note/", {"text": "Graag extra slapen"})
    note = DiaryEntry.objects.get()
    staff(cast.sanne)
    page_url = f"/staff/diary/children/{cast.daan.code}/"
    assert "Markeer als gelezen" in client.get(page_url).content.decode()
    response = client.post(f"/staff/diary/entries/{note.code}/read/", {"next": page_url})
    assert response["Location"] == page_url
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post(
        f"/staff/diary/entries/{note.code}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"


def test_it_links_each_of_my_groups_diary_from_the_staff_home(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    page = client.get("/staff/").content.decode()
    assert f'href="/staff/diary/groups/{cast.group_a.code}/"' in page
    assert f'href="/staff/diary/groups/{cast.group_b.code}/"' not in page


def test_it_logs_the_staff_home_showing_parent_notes_as_a_diary_read(
    consented, login, client, staff, django_capture_on_commit_callbacks
):
    """R24: the note's text on the staff home is diary content, read like the diary page."""
    from audit.models import AccessEvent

    cast = consented
    login(cast.anna)
    client.post(f"/diary/{cast.daan.code}/note/", {"text": "Slecht geslapen vannacht"})
    assert not AccessEvent.objects.exists()  # a guardian reading their own child: not logged
    staff(cast.sanne)
    with django_capture_on_commit_callbacks(execute=True):
        assert "Slecht geslapen vannacht" in client.get("/staff/").text
    assert list(AccessEvent.objects.values_list("user", "child", "kind")) == [
        (cast.sanne.pk, cast.daan.pk, "diary_read")
    ]
