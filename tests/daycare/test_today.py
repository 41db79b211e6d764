"""Vandaag, the parent home (issue 17): one screen per child with today's diary, photos, an
absence, unread messages and news; earlier days loading as the parent scrolls."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from absences.models import Absence
from consent.models import Purpose
from diary.models import DiaryDay, DiaryEntry
from messaging.models import Conversation, Message, Side
from photos.models import Photo
from tests.photos.conftest import add_photos

AMS = ZoneInfo("Europe/Amsterdam")
TUESDAY_MORNING = datetime(2026, 12, 8, 7, 0, tzinfo=AMS)
TUESDAY_NOON = datetime(2026, 12, 8, 12, 0, tzinfo=AMS)
SATURDAY = datetime(2026, 12, 5, 11, 0, tzinfo=AMS)


def write_day(child, author, *, days_ago=0, text="Daan heeft lekker buiten gespeeld.", items=None):
    day, _ = DiaryDay.objects.get_or_create(
        child=child, date=timezone.localdate() - timedelta(days=days_ago)
    )
    return DiaryEntry.objects.create(
        day=day,
        kind=DiaryEntry.Kind.STAFF,
        author=author,
        text=text,
        items=items
        or {
            "meals": [{"moment": "lunch", "amount": "most", "what": "pasta"}],
            "sleep": [{"start": "12:30", "end": "14:05"}],
            "mood": "happy",
            "activities": ["outdoor"],
        },
    )


def photo_today(group, worker, children):
    photo = add_photos(group, worker, children, 1)[0]
    Photo.objects.filter(pk=photo.pk).update(taken_at=timezone.now())
    return Photo.objects.get(pk=photo.pk)


def test_it_shows_todays_diary_and_photos(consented, login, client):
    cast = consented
    write_day(cast.daan, cast.sanne)
    photo = photo_today(cast.group_a, cast.sanne, [cast.daan])
    login(cast.anna)
    page = client.get(f"/today/{cast.daan.code}/").text
    assert "Daan vandaag" in page
    assert "Daan heeft lekker buiten gespeeld." in page
    assert "(pasta)" in page
    assert "12:30–14:05" in page and "Vrolijk" in page and "Buiten gespeeld" in page
    assert f"/photos/p/{photo.code}/thumb/" in page
    assert f"/photos/p/{photo.code}/display/ 1600w" in page  # srcset
    assert page.count(f'href="/photos/p/{photo.code}/display/"') == 1  # in the photos card only


def test_it_gives_a_stranger_404_on_vandaag_and_its_earlier_days(consented, login, client):
    cast = consented
    for user in (cast.bram, cast.dewi, cast.sanne, cast.service):
        login(user)
        assert client.get(f"/today/{cast.daan.code}/").status_code == 404
        assert client.get(f"/today/{cast.daan.code}/days/").status_code == 404


def test_it_never_names_another_familys_child(consented, login, client):
    cast = consented
    write_day(cast.daan, cast.sanne, text="Samen gespeeld.")
    photo_today(cast.group_a, cast.sanne, [cast.daan, cast.mila])
    login(cast.anna)
    for url in ("/", f"/today/{cast.daan.code}/", f"/today/{cast.daan.code}/days/", "/more/"):
        page = client.get(url).text
        assert "Mila" not in page and "Finn" not in page, url


def test_it_switches_between_children_and_remembers_the_choice(consented, login, client):
    cast = consented
    write_day(cast.eva, cast.sanne, text="Eva heeft geschilderd.")
    login(cast.anna)
    home = client.get("/").text
    assert "Daan vandaag" in home  # the first child, by name
    assert f'href="/today/{cast.eva.code}/"' in home and f'href="/today/{cast.daan.code}/"' in home
    eva = client.get(f"/today/{cast.eva.code}/").text
    assert "Eva vandaag" in eva and "Eva heeft geschilderd." in eva
    assert "Eva vandaag" in client.get("/").text  # remembered on this device
    # The photos tab follows the chosen child.
    assert f'href="/photos/child/{cast.eva.code}/"' in client.get("/more/").text


def test_it_shows_no_avatar_row_for_one_child(consented, login, client):
    login(consented.dewi)
    page = client.get("/").text
    assert "Mila vandaag" in page and 'class="child-switch"' not in page


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_it_explains_an_empty_morning_with_the_groups_start(consented, login, client):
    login(consented.anna)
    page = client.get("/").text
    assert "Nog niets vandaag: de groep begint om 7:30." in page
    assert "Nog geen foto's vandaag." in page


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_it_explains_an_empty_day_after_the_start(consented, login, client):
    login(consented.anna)
    assert "Nog niets in het dagboek van vandaag." in client.get("/").text


@time_machine.travel(SATURDAY, tick=False)
def test_it_explains_the_weekend(consented, login, client):
    login(consented.anna)
    assert "Het is weekend: de groep is dicht." in client.get("/").text


def test_it_says_when_the_diary_or_photos_are_off(cast, decide, login, client):
    decide(cast.daan, Purpose.DIARY, given=False)
    write_day(cast.daan, cast.sanne, text="Verborgen tekst.")
    login(cast.anna)
    page = client.get(f"/today/{cast.daan.code}/").text
    assert "Verborgen tekst." not in page
    # The real state and why, for this guardian (issue 14), not a generic "off".
    assert "Het dagboek van Daan staat dicht: u heeft nee gezegd." in page
    assert "Foto&#x27;s van Daan staan uit: nog niemand heeft gekozen." in page


def test_it_says_that_another_guardians_no_keeps_the_photos_off(cast, decide, login, client):
    decide(cast.daan, Purpose.DIARY, by=cast.anna)
    decide(cast.daan, Purpose.PHOTOS, by=cast.anna)
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    login(cast.anna)
    page = client.get(f"/today/{cast.daan.code}/").text
    assert "Foto&#x27;s van Daan staan uit: u heeft ja gezegd, maar een andere ouder nee." in page
    assert "Het dagboek van Daan staat" not in page  # the diary is open: nothing to explain


def test_it_shows_an_absence_today_and_unread_messages(consented, login, client):
    cast = consented
    today = timezone.localdate()
    Absence.objects.create(
        child=cast.daan, start_date=today, end_date=today, reason="sick", reported_by=cast.anna
    )
    conversation = Conversation.objects.create(
        child=cast.daan, subject="Vraag", started_by=cast.anna, last_message_at=timezone.now()
    )
    Message.objects.create(
        conversation=conversation,
        author=cast.sanne,
        side=Side.STAFF,
        body="Antwoord",
        created_at=timezone.now(),
    )
    login(cast.anna)
    page = client.get(f"/today/{cast.daan.code}/").text
    assert "Daan is vandaag afgemeld (ziek)." in page
    assert "1 ongelezen bericht" in page


def test_it_loads_earlier_days_page_by_page(consented, login, client):
    cast = consented
    for days_ago in range(1, 13):
        write_day(cast.daan, cast.sanne, days_ago=days_ago, text=f"Dag {days_ago} geleden.")
    login(cast.anna)
    page = client.get(f"/today/{cast.daan.code}/").text
    assert "Dag 5 geleden." in page and "Dag 6 geleden." not in page
    before = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert f"/today/{cast.daan.code}/days/?before={before}" in page
    fragment = client.get(
        f"/today/{cast.daan.code}/days/?before={before}", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Dag 6 geleden." in fragment.text and "Dag 10 geleden." in fragment.text
    assert "Dag 11 geleden." not in fragment.text and "Dag 5 geleden." not in fragment.text
    # Without script the same link is a page of its own.
    whole = client.get(f"/today/{cast.daan.code}/days/?before={before}").text
    assert "<html" in whole and "Dag 6 geleden." in whole
    assert fragment["Cache-Control"].count("no-store") == 1


def test_it_refuses_a_bad_date_with_a_message(consented, login, client):
    login(consented.anna)
    response = client.get(f"/today/{consented.daan.code}/days/?before=gisteren")
    assert response.status_code == 400
    assert "Dat is geen datum; ga terug naar vandaag." in response.text


def test_it_keeps_vandaag_out_of_the_browser_cache(consented, login, client):
    login(consented.anna)
    assert "no-store" in client.get("/")["Cache-Control"]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_it_shows_vandaag_with_a_fixed_number_of_queries(consented, login, client):
    cast = consented
    url = f"/today/{cast.daan.code}/"
    write_day(cast.daan, cast.sanne, days_ago=3)  # one day: its entries are read in a query
    login(cast.anna)
    client.get(url)
    few = count(client, url)

    for days_ago in range(0, 20):
        write_day(cast.daan, cast.sanne, days_ago=days_ago)
        write_day(cast.eva, cast.sanne, days_ago=days_ago)
    for _ in range(6):
        photo_today(cast.group_a, cast.sanne, [cast.daan, cast.eva])
    add_photos(cast.group_a, cast.sanne, [cast.daan], 10)
    today = timezone.localdate()
    Absence.objects.create(
        child=cast.daan, start_date=today, end_date=today, reason="sick", reported_by=cast.anna
    )
    for i in range(5):
        conversation = Conversation.objects.create(
            child=cast.daan, subject=f"V{i}", started_by=cast.anna, last_message_at=timezone.now()
        )
        Message.objects.create(
            conversation=conversation,
            author=cast.sanne,
            side=Side.STAFF,
            body="A",
            created_at=timezone.now(),
        )
    assert count(client, url) == few
    assert count(client, f"/today/{cast.daan.code}/days/?before={today}") <= few


def test_it_counts_new_photos_and_unread_messages_in_the_tab_bar(consented, login, client):
    cast = consented
    login(cast.anna)
    assert "tab-badge" not in client.get("/more/").text
    photo_today(cast.group_a, cast.sanne, [cast.daan])
    photo_today(cast.group_a, cast.sanne, [cast.mila])  # not anna's
    conversation = Conversation.objects.create(
        child=cast.eva, subject="Vraag", started_by=cast.anna, last_message_at=timezone.now()
    )
    Message.objects.create(
        conversation=conversation,
        author=cast.sanne,
        side=Side.STAFF,
        body="A",
        created_at=timezone.now(),
    )
    page = client.get("/more/").text
    assert "1 nieuwe foto" in page and "1 ongelezen bericht" in page
    # Opening the gallery marks the photos as seen on this device.
    client.get(f"/photos/child/{cast.daan.code}/")
    assert "nieuwe foto" not in client.get("/more/").text


def test_it_stops_counting_a_new_photo_once_it_may_not_be_shown(consented, decide, login, client):
    cast = consented
    login(cast.anna)
    photo_today(cast.group_a, cast.sanne, [cast.daan, cast.eva])
    assert "nieuwe foto" in client.get("/more/").text
    decide(cast.eva, Purpose.PHOTOS, given=False, by=cast.anna)  # the photo is withheld
    assert "nieuwe foto" not in client.get("/more/").text


def test_it_keeps_the_staff_navigation_for_staff(cast, login, client):
    login(cast.sanne)
    page = client.get("/more/").text
    assert 'class="tabs"' not in page and 'class="staff-menu"' in page


def test_it_lists_only_own_children_on_the_more_page(consented, login, client):
    login(consented.anna)
    page = client.get("/more/").text
    assert "Daan" in page and "Eva" in page and "Mila" not in page
    assert (
        f"/diary/{consented.daan.code}/" in page
        and f"/absences/children/{consented.eva.code}/new/" in page
    )


def test_it_sends_a_parent_without_children_an_explanation(cast, login, client):
    from daycare.models import Guardianship

    Guardianship.objects.filter(user=cast.dewi).delete()
    login(cast.dewi)
    page = client.get("/").text
    assert (
        "Er zijn nog geen kinderen aan uw account gekoppeld" in page or "invitation" in page.lower()
    )


def test_it_sends_staff_without_children_to_the_staff_home(cast, login, client):
    login(cast.sanne)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_it_ignores_an_unknown_child_in_the_session(consented, login, client):
    login(consented.anna)
    session = client.session
    session["portal_child"] = consented.mila.code  # not anna's: never shown
    session.save()
    page = client.get("/").text
    assert "Daan vandaag" in page and "Mila" not in page


def test_it_reads_the_opening_time_from_the_opening_hours(cast):
    from portal.today import opening_time

    location = cast.daan.group.location
    for text, expected in [
        ("Maandag t/m vrijdag 07:30 – 18:30", "07:30"),
        ("ma-vr 7.15-18.00", "07:15"),
        ("Ma-vr 7-19", None),
        ("", None),
    ]:
        location.opening_hours = text
        found = opening_time(location)
        assert (found.strftime("%H:%M") if found else None) == expected, text
    assert date(2026, 12, 5).weekday() == 5


def test_it_offers_no_absence_or_note_for_a_child_whose_care_has_ended(cast, decide, login, client):
    decide(cast.noor, Purpose.DIARY, by=cast.fleur)
    login(cast.fleur)
    page = client.get(f"/today/{cast.noor.code}/").text
    assert f"/absences/children/{cast.noor.code}/new/" not in page
    assert f"/diary/{cast.noor.code}/note/" not in page
    assert f"?child={cast.noor.code}" in page  # a message to the group stays possible


def test_it_links_the_notification_settings_from_meer(cast, login, client):
    login(cast.anna)
    assert 'href="/push/"' in client.get("/more/").text
