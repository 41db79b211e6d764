"""Parents follow the diary in a timeline: newest day first, one week per page, escaped text,
a fixed number of queries however long the diary is."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from diary.models import DiaryDay, DiaryEntry
from diary.selectors import monday_of, week_label


def test_it_shows_the_week_newest_day_first_with_items(consented, login, client, entry_on):
    cast = consented
    with time_machine.travel(date(2026, 11, 25), tick=False):  # a Wednesday
        entry_on(cast.daan, days_ago=0, text="Vandaag", items={"mood": "happy"})
        sleep = {"sleep": [{"start": "12:30", "end": "14:00"}]}
        entry_on(cast.daan, days_ago=1, text="Gisteren", items=sleep)
        login(cast.anna)
        page = client.get(f"/diary/{cast.daan.code}/").content.decode()
    assert "Vrolijk" in page
    assert page.index("Vandaag") < page.index("Gisteren")
    assert "12:30 – 14:00" in page
    assert "Woensdag 25 november 2026" in page


def test_it_escapes_text_and_keeps_line_breaks_and_links(consented, login, client, entry_on):
    cast = consented
    entry_on(
        cast.daan,
        text='<script>alert(1)</script><b>vet</b>\nZie https://example.org/liedje "x"',
    )
    login(cast.anna)
    page = client.get(f"/diary/{cast.daan.code}/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;<br>" in page
    assert (
        '<a href="https://example.org/liedje" rel="nofollow">https://example.org/liedje</a>' in page
    )


def test_it_pages_by_week_with_links_to_older_and_newer_weeks(consented, login, client):
    cast = consented
    with time_machine.travel(date(2026, 11, 25), tick=False):  # a Wednesday, week 48
        for day in (date(2026, 11, 24), date(2026, 11, 10), date(2026, 10, 1)):
            DiaryEntry.objects.create(
                day=DiaryDay.objects.create(child=cast.daan, date=day),
                kind="staff",
                author=cast.sanne,
                text=f"dag {day.isoformat()}",
            )
        login(cast.anna)
        page = client.get(f"/diary/{cast.daan.code}/").content.decode()
        assert "dag 2026-11-24" in page and "dag 2026-11-10" not in page
        assert "?week=2026-W46" in page  # skips the empty week 47
        page = client.get(f"/diary/{cast.daan.code}/?week=2026-W46").content.decode()
        assert "dag 2026-11-10" in page and "dag 2026-11-24" not in page
        assert "?week=2026-W48" in page and "?week=2026-W40" in page
        page = client.get(f"/diary/{cast.daan.code}/?week=2026-W40").content.decode()
        assert "dag 2026-10-01" in page


def test_it_refuses_a_bad_or_future_week_with_a_message(consented, login, client, entry_on):
    cast = consented
    entry_on(cast.daan, text="Deze week")
    login(cast.anna)
    for week in ("2026-W99", "morgen", "9999-W01"):
        response = client.get(f"/diary/{cast.daan.code}/?week={week}")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Deze week" in page
        assert "u ziet deze week" in page


def _two_years(child, author, today):
    days = DiaryDay.objects.bulk_create(
        DiaryDay(child=child, date=today - timedelta(days=n)) for n in range(730)
    )
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            day=day,
            kind=kind,
            author=author,
            text="Een dag",
            items={"mood": "happy", "sleep": [{"start": "12:00", "end": "13:30"}]},
        )
        for day in days
        for kind in ("staff", "staff", "parent")
    )


def test_it_renders_a_week_with_a_fixed_number_of_queries(
    consented, login, client, entry_on, django_assert_num_queries
):
    cast = consented
    login(cast.anna)
    url = f"/diary/{cast.daan.code}/?week={week_label(monday_of(timezone.localdate()))}"
    entry_on(cast.daan)
    client.get(url)  # warm up (session, caches)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _two_years(cast.daan, cast.sanne, timezone.localdate() - timedelta(days=1))
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="diary-day"') <= 7


def test_it_answers_404_to_other_families_and_staff_on_parent_urls(consented, login, client):
    cast = consented
    for stranger in (cast.dewi, cast.bram, cast.sanne, cast.tom):
        login(stranger)
        for path in ("", "print/", "note/"):
            assert client.get(f"/diary/{cast.daan.code}/{path}").status_code == 404, stranger


def test_it_lets_the_second_guardian_read(consented, login, client, entry_on):
    cast = consented
    entry_on(cast.daan, text="Voor beide ouders")
    login(cast.chris)
    assert "Voor beide ouders" in client.get(f"/diary/{cast.daan.code}/").content.decode()


def test_it_lets_group_staff_managers_and_customer_service_read_the_timeline(
    consented, login, client, entry_on
):
    cast = consented
    entry_on(cast.daan, text="Voor de staf")
    for user in (cast.sanne, cast.lotte, cast.service):
        login(user)
        response = client.get(f"/staff/diary/children/{cast.daan.code}/timeline/")
        assert "Voor de staf" in response.content.decode(), user
    login(cast.tom)
    assert client.get(f"/staff/diary/children/{cast.daan.code}/timeline/").status_code == 404


def test_it_hides_archived_children(consented, login, client, entry_on):
    cast = consented
    entry_on(cast.daan)
    cast.daan.archived_at = timezone.now()
    cast.daan.save()
    login(cast.anna)
    assert client.get(f"/diary/{cast.daan.code}/").status_code == 404
    assert not DiaryEntry.objects.visible_to(cast.anna).exists()
