import datetime
import zoneinfo

import pytest
from django.urls import reverse

from absences.models import Absence

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=AMS)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def anna(cast, statement, login, time_machine):
    time_machine.move_to(NOW, tick=False)
    return login(cast.anna)


def _absence(child, start, end, user):
    return Absence.objects.create(
        child=child, start_date=start, end_date=end, reason="holiday", reported_by=user
    )


def _withdraw(client, absence):
    return client.post(reverse("absences:withdraw", kwargs={"code": absence.code}))


def test_it_lists_my_current_and_future_reports(anna, cast):
    _absence(cast.eva, TODAY + DAY, TODAY + 2 * DAY, cast.anna)
    old = _absence(cast.daan, TODAY - 5 * DAY, TODAY - 4 * DAY, cast.anna)
    _absence(cast.mila, TODAY + DAY, TODAY + DAY, cast.dewi)
    response = anna.get(reverse("absences:list"))
    assert [a.child for a in response.context["absences"]] == [cast.eva]
    assert old.code not in response.text


def test_it_withdraws_a_future_report(anna, cast):
    absence = _absence(cast.eva, TODAY + DAY, TODAY + 2 * DAY, cast.anna)
    assert _withdraw(anna, absence).status_code == 302
    absence.refresh_from_db()
    assert absence.withdrawn_at is not None
    assert anna.get(reverse("absences:list")).context["absences"].count() == 0


def test_it_withdraws_only_the_future_part_of_a_started_report(anna, cast):
    absence = _absence(cast.eva, TODAY - DAY, TODAY + 3 * DAY, cast.anna)
    _withdraw(anna, absence)
    absence.refresh_from_db()
    assert absence.withdrawn_at is None
    assert (absence.start_date, absence.end_date) == (TODAY - DAY, TODAY)


def test_it_refuses_to_withdraw_a_report_that_ends_today(anna, cast):
    absence = _absence(cast.eva, TODAY, TODAY, cast.anna)
    response = _withdraw(anna, absence)
    absence.refresh_from_db()
    assert absence.withdrawn_at is None and absence.end_date == TODAY
    assert "bel" in anna.get(response.url).text.lower()


def test_a_withdrawn_report_frees_its_days(anna, cast):
    absence = _absence(cast.eva, TODAY + DAY, TODAY + DAY, cast.anna)
    _withdraw(anna, absence)
    response = anna.post(
        reverse("absences:report", kwargs={"code": cast.eva.code}),
        {"start_date": (TODAY + DAY).isoformat(), "reason": "sick"},
    )
    assert response.status_code == 302
    assert Absence.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_it_answers_404_for_another_familys_report(anna, cast):
    absence = _absence(cast.mila, TODAY + DAY, TODAY + DAY, cast.dewi)
    assert _withdraw(anna, absence).status_code == 404
    absence.refresh_from_db()
    assert absence.withdrawn_at is None


def test_staff_cannot_withdraw_through_the_parent_page(cast, login, time_machine):
    time_machine.move_to(NOW, tick=False)
    absence = _absence(cast.eva, TODAY + DAY, TODAY + DAY, cast.anna)
    assert _withdraw(login(cast.sanne), absence).status_code == 404
