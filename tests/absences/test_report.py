import datetime
import zoneinfo

import pytest
from django.urls import reverse

from absences.models import Absence, AbsenceSettings

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
MORNING = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=AMS)  # a Tuesday
TODAY = MORNING.date()


def _url(child):
    return reverse("absences:report", kwargs={"code": child.code})


def _post(client, child, **data):
    payload = {"start_date": TODAY.isoformat(), "end_date": "", "reason": "sick", "note": ""}
    payload.update(
        {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    )
    return client.post(_url(child), payload)


@pytest.fixture
def anna(cast, statement, login, time_machine):
    time_machine.move_to(MORNING, tick=False)
    return login(cast.anna)


def test_it_reports_a_child_sick_for_today(anna, cast):
    response = _post(anna, cast.eva, note="Koorts")
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.child, absence.start_date, absence.end_date) == (cast.eva, TODAY, TODAY)
    assert absence.reason == "sick" and absence.note == "Koorts"
    assert absence.reported_by == cast.anna and absence.channel == "portal"


def test_it_reports_a_range(anna, cast):
    end = TODAY + datetime.timedelta(days=3)  # Wednesday to Friday
    _post(
        anna,
        cast.daan,
        start_date=TODAY + datetime.timedelta(days=1),
        end_date=end,
        reason="holiday",
    )
    assert Absence.objects.get().end_date == end


def test_it_refuses_today_after_the_cutoff_with_the_phone_number(anna, cast, time_machine):
    time_machine.move_to(MORNING.replace(hour=9, minute=0), tick=False)
    response = _post(anna, cast.eva)
    assert response.status_code == 200
    assert "030 123 45 67" in response.text
    assert not Absence.objects.exists()


def test_it_accepts_today_one_minute_before_the_cutoff(anna, cast, time_machine):
    time_machine.move_to(MORNING.replace(hour=8, minute=59, second=59), tick=False)
    assert _post(anna, cast.eva).status_code == 302
    assert Absence.objects.count() == 1


def test_it_shows_the_phone_number_on_the_form_after_the_cutoff(anna, cast, time_machine):
    time_machine.move_to(MORNING.replace(hour=10), tick=False)
    response = anna.get(_url(cast.eva))
    assert "030 123 45 67" in response.text


def test_it_uses_the_cutoff_of_the_location(anna, cast, time_machine):
    AbsenceSettings.objects.create(location=cast.loc1, cutoff_time=datetime.time(7, 30))
    time_machine.move_to(MORNING.replace(hour=7, minute=45), tick=False)
    assert _post(anna, cast.eva).status_code == 200
    assert not Absence.objects.exists()


def test_it_accepts_tomorrow_after_the_cutoff(anna, cast, time_machine):
    time_machine.move_to(MORNING.replace(hour=17), tick=False)
    assert _post(anna, cast.eva, start_date=TODAY + datetime.timedelta(days=1)).status_code == 302


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            TODAY + datetime.timedelta(days=3),
            TODAY + datetime.timedelta(days=1),
            "before the first day",
        ),
        (TODAY - datetime.timedelta(days=1), TODAY, "in the past"),
        (TODAY, TODAY + datetime.timedelta(days=366), "a year ahead"),
    ],
)
def test_it_refuses_impossible_dates(anna, cast, start, end, message, settings):
    settings.LANGUAGE_CODE = "en"
    response = anna.post(
        _url(cast.eva),
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "reason": "sick"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not Absence.objects.exists()
    assert response.context["form"].non_field_errors()


def test_it_accepts_exactly_a_year_ahead(anna, cast):
    end = TODAY + datetime.timedelta(days=365)
    assert _post(anna, cast.eva, start_date=end, end_date=end).status_code == 302


def test_it_refuses_an_overlapping_report_naming_the_existing_dates(anna, cast):
    _post(anna, cast.eva, start_date=TODAY, end_date=TODAY + datetime.timedelta(days=2))
    response = _post(
        anna,
        cast.eva,
        start_date=TODAY + datetime.timedelta(days=2),
        end_date=TODAY + datetime.timedelta(days=5),
    )
    assert response.status_code == 200
    assert "10 maart 2026" in response.text and "12 maart 2026" in response.text
    assert Absence.objects.count() == 1


def test_it_allows_the_same_days_for_another_child(anna, cast):
    _post(anna, cast.eva)
    _post(anna, cast.daan)
    assert Absence.objects.count() == 2


def test_it_refuses_an_unknown_reason(anna, cast):
    assert _post(anna, cast.eva, reason="party").status_code == 200
    assert not Absence.objects.exists()


def test_it_answers_404_for_a_child_not_yours(anna, cast):
    response = _post(anna, cast.mila)
    assert response.status_code == 404
    assert anna.get(_url(cast.finn)).status_code == 404
    assert not Absence.objects.exists()


def test_it_answers_404_for_an_archived_child(cast, statement, login):
    from django.utils import timezone

    cast.eva.archived_at = timezone.now()
    cast.eva.save()
    client = login(cast.anna)
    assert client.get(_url(cast.eva)).status_code == 404


def test_it_works_for_a_parent_who_refused_every_consent(cast, decide, login, time_machine):
    """R3: absence reporting needs no consent."""
    from consent.models import Purpose

    for purpose in (Purpose.PHOTOS, Purpose.DIARY):
        decide(cast.eva, purpose, given=False)
        decide(cast.daan, purpose, given=False)
    time_machine.move_to(MORNING, tick=False)
    client = login(cast.anna)
    assert client.get(reverse("absences:list")).status_code == 200
    assert _post(client, cast.eva).status_code == 302
    assert Absence.objects.count() == 1
