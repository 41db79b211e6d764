import datetime
import zoneinfo

import pytest
from django.urls import reverse

from absences.models import Absence
from daycare.models import Child

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=AMS)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _absence(child, start=TODAY, end=TODAY, note="Koorts", reason="sick"):
    return Absence.objects.create(
        child=child, start_date=start, end_date=end, reason=reason, note=note
    )


def test_it_shows_todays_absences_of_my_groups_on_the_staff_home(cast, login):
    _absence(cast.eva, note="Waterpokken")
    _absence(cast.finn, note="Tandarts")
    response = login(cast.sanne).get(reverse("staff:home"))
    assert "Eva" in response.text and "Waterpokken" in response.text
    assert "Tandarts" not in response.text
    assert 'hx-get="/staff/absences/today/"' in response.text


def test_a_worker_of_group_b_never_sees_group_a(cast, login):
    _absence(cast.eva, note="Waterpokken")
    client = login(cast.tom)
    for url in (
        reverse("staff:home"),
        reverse("absences_staff:day"),
        reverse("absences_staff:today"),
    ):
        assert "Waterpokken" not in client.get(url).text


def test_the_partial_shows_a_new_report_for_today(cast, login):
    client = login(cast.sanne)
    assert "Eva" not in client.get(reverse("absences_staff:today")).text
    _absence(cast.eva)
    response = client.get(reverse("absences_staff:today"), HTTP_HX_REQUEST="true")
    assert "Eva" in response.text
    assert "<html" not in response.text


def test_the_day_overview_shows_any_date(cast, login):
    _absence(cast.eva, start=TODAY + 3 * DAY, end=TODAY + 4 * DAY, reason="holiday", note="Oma")
    client = login(cast.sanne)
    assert "Oma" not in client.get(reverse("absences_staff:day")).text
    response = client.get(reverse("absences_staff:day"), {"date": (TODAY + 4 * DAY).isoformat()})
    assert "Oma" in response.text
    assert client.get(reverse("absences_staff:day"), {"date": "2026-02-30"}).status_code == 200


def test_withdrawn_reports_are_not_shown(cast, login):
    absence = _absence(cast.eva, note="Waterpokken")
    absence.withdrawn_at = NOW
    absence.save()
    assert "Waterpokken" not in login(cast.sanne).get(reverse("absences_staff:day")).text


def test_the_location_manager_sees_the_whole_location(cast, login):
    _absence(cast.eva, note="Waterpokken")
    _absence(cast.finn, note="Tandarts")
    text = login(cast.lotte).get(reverse("absences_staff:day")).text
    assert "Waterpokken" in text and "Tandarts" not in text


def test_parents_get_404_on_staff_absence_pages(cast, login):
    client = login(cast.anna)
    assert client.get(reverse("absences_staff:day")).status_code == 404
    assert client.get(reverse("absences_staff:today")).status_code == 404


def test_staff_register_a_phoned_in_absence_after_the_cutoff(cast, login):
    client = login(cast.sanne)
    url = reverse("absences_staff:register", kwargs={"code": cast.eva.code})
    response = client.post(
        url, {"start_date": TODAY.isoformat(), "reason": "sick", "note": "Belde om 10:00"}
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.channel == "phone" and absence.reported_by == cast.sanne


def test_staff_cannot_register_for_another_groups_child(cast, login):
    url = reverse("absences_staff:register", kwargs={"code": cast.finn.code})
    response = login(cast.sanne).post(url, {"start_date": TODAY.isoformat(), "reason": "sick"})
    assert response.status_code == 404
    assert not Absence.objects.exists()


def test_the_day_overview_has_a_fixed_number_of_queries(cast, login, django_assert_num_queries):
    client = login(cast.lotte)
    url = reverse("absences_staff:day")
    client.get(url)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _absence(cast.eva)
    few = count()
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}",
            last_name="Test",
            date_of_birth=TODAY - 700 * DAY,
            group=cast.group_a,
        )
        for i in range(200)
    )
    Absence.objects.bulk_create(
        Absence(child=child, start_date=TODAY, end_date=TODAY, reason="sick") for child in children
    )
    assert count() == few
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.text.count("Kind") >= 200
