"""Panels on shared pages, and the date rules at their exact boundaries (Europe/Amsterdam)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from consent.models import Purpose
from diary.models import DiaryEntry

AMS = ZoneInfo("Europe/Amsterdam")


def test_it_links_the_diary_from_the_parent_home(consented, login, client):
    login(consented.anna)
    page = client.get("/").content.decode()
    assert f'href="/diary/{consented.daan.code}/"' in page
    page = client.get(f"/today/{consented.eva.code}/").content.decode()
    assert f'href="/diary/{consented.eva.code}/"' in page


def test_it_shows_the_diary_panel_on_the_staff_child_page(consented, login, client, decide):
    cast = consented
    login(cast.sanne)
    page = client.get(f"/staff/children/{cast.daan.code}/").content.decode()
    assert f'href="/staff/diary/children/{cast.daan.code}/"' in page
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    page = client.get(f"/staff/children/{cast.daan.code}/").content.decode()
    assert f'href="/staff/diary/children/{cast.daan.code}/"' not in page
    assert "Geen dagboek: de ouders hebben geen toestemming gegeven." in page


def _write(client, child, day):
    return client.post(
        f"/staff/diary/children/{child.code}/", {"date": day.isoformat(), "text": "Dag"}
    )


def test_it_uses_the_amsterdam_date_for_today(consented, login, client):
    cast = consented
    login(cast.sanne)
    # 00:30 in Amsterdam is still the previous day in UTC: the Amsterdam day counts.
    with time_machine.travel(datetime(2026, 11, 25, 0, 30, tzinfo=AMS), tick=False):
        assert _write(client, cast.daan, date(2026, 11, 25)).status_code == 302
        assert _write(client, cast.daan, date(2026, 11, 26)).status_code == 400
    with time_machine.travel(datetime(2026, 11, 24, 23, 59, 59, tzinfo=AMS), tick=False):
        assert _write(client, cast.eva, date(2026, 11, 25)).status_code == 400
    assert [e.day.date for e in DiaryEntry.objects.all()] == [date(2026, 11, 25)]


def test_it_accepts_exactly_seven_days_back_and_not_eight(consented, login, client):
    cast = consented
    login(cast.sanne)
    with time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=AMS), tick=False):
        today = date(2026, 11, 25)
        assert _write(client, cast.daan, today - timedelta(days=7)).status_code == 302
        assert _write(client, cast.daan, today - timedelta(days=8)).status_code == 400
    assert DiaryEntry.objects.count() == 1
