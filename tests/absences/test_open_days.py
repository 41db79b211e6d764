"""R11: absences only on days that exist for the child: the location is open (its opening
days, its closing days) and the child has a running care contract. Frozen time at the edges."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from absences.models import Absence, AbsenceSettings, LocationClosure
from daycare.models import CareContract

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 3, 9, 7, 30, tzinfo=AMS)
DAY = datetime.timedelta(days=1)


def report(client, child, start, end=None):
    return client.post(
        reverse("absences:report", kwargs={"code": child.code}),
        {
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else "",
            "reason": "sick",
            "note": "",
        },
    )


@pytest.fixture
def anna(cast, statement, login, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return login(cast.anna)


def test_it_refuses_a_saturday_with_the_reason_and_stores_nothing(anna, cast):
    saturday = MONDAY.date() + 5 * DAY
    response = report(anna, cast.eva, saturday)
    assert response.status_code == 200
    assert "Kindercentrum De Zonnebloem is gesloten op 14 maart 2026 (gesloten op zaterdag)" in (
        response.text
    )
    assert not Absence.objects.exists()


def test_it_follows_the_opening_days_of_the_location(anna, cast):
    AbsenceSettings.objects.create(location=cast.loc1, opening_days="123456")
    saturday = MONDAY.date() + 5 * DAY
    assert report(anna, cast.eva, saturday).status_code == 302
    assert report(anna, cast.daan, MONDAY.date() + 3 * DAY).status_code == 302  # Thursday


def test_it_refuses_a_closing_day_and_accepts_the_day_after(anna, cast):
    closing = MONDAY.date() + 2 * DAY  # Wednesday
    LocationClosure.objects.create(
        location=cast.loc1, start_date=closing, end_date=closing, reason="Studiedag"
    )
    response = report(anna, cast.eva, closing)
    assert "gesloten op 11 maart 2026 (Studiedag)" in response.text
    assert not Absence.objects.exists()
    assert report(anna, cast.eva, closing + DAY).status_code == 302
    assert Absence.objects.get().start_date == closing + DAY


def test_a_range_skips_closed_days_and_says_so(anna, cast):
    friday = MONDAY.date() + 4 * DAY
    LocationClosure.objects.create(
        location=cast.loc1, start_date=friday, end_date=friday, reason="Studiedag"
    )
    # Thursday to the Sunday after: Friday (closing day) and the weekend are skipped.
    response = report(anna, cast.eva, MONDAY.date() + 3 * DAY, MONDAY.date() + 6 * DAY)
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.start_date, absence.end_date) == (MONDAY.date() + 3 * DAY,) * 2
    page = anna.get(response["Location"]).text
    assert "3 dagen waarop de locatie gesloten is zijn overgeslagen" in page
    assert "13 maart (Studiedag)" in page and "14 maart (gesloten op zaterdag)" in page


def test_a_range_of_only_closed_days_is_refused(anna, cast):
    saturday = MONDAY.date() + 5 * DAY
    response = report(anna, cast.eva, saturday, saturday + DAY)
    assert response.status_code == 200
    assert "is gesloten op elke dag van 14 maart 2026 tot en met 15 maart 2026" in response.text
    assert not Absence.objects.exists()


def test_it_accepts_the_last_contract_day_and_refuses_the_day_after(anna, cast, time_machine):
    last_day = MONDAY.date() + 3 * DAY  # Thursday
    CareContract.objects.filter(child=cast.eva).update(end_date=last_day)
    response = report(anna, cast.eva, last_day + DAY)
    assert response.status_code == 200
    assert "Eva heeft op 13 maart 2026 geen lopend opvangcontract" in response.text
    response = report(anna, cast.eva, last_day, last_day + DAY)
    assert "Eva heeft op 13 maart 2026 geen lopend opvangcontract" in response.text
    assert not Absence.objects.exists()
    assert report(anna, cast.eva, last_day).status_code == 302


def test_it_refuses_days_before_the_contract_starts(anna, cast):
    CareContract.objects.filter(child=cast.eva).update(start_date=MONDAY.date() + 2 * DAY)
    response = report(anna, cast.eva, MONDAY.date() + DAY)
    assert "Eva heeft op 10 maart 2026 geen lopend opvangcontract" in response.text
    assert report(anna, cast.eva, MONDAY.date() + 2 * DAY).status_code == 302


def test_a_card_of_a_child_whose_contract_ended_does_not_offer_it(cast, statement, login):
    fleur = login(cast.fleur)
    home = fleur.get("/more/").text  # Meer lists each child's pages (issue 17)
    assert "Noor" in home
    assert reverse("absences:report", kwargs={"code": cast.noor.code}) not in home
    response = fleur.get(reverse("absences:report", kwargs={"code": cast.noor.code}))
    assert response.status_code == 302
    assert "geen lopend opvangcontract" in fleur.get(response["Location"]).text
    anna = login(cast.anna)
    assert reverse("absences:report", kwargs={"code": cast.eva.code}) in anna.get("/more/").text


def test_the_card_stops_offering_it_the_day_after_the_last_contract_day(
    cast, statement, login, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    CareContract.objects.filter(child=cast.eva).update(end_date=MONDAY.date())
    url = reverse("absences:report", kwargs={"code": cast.eva.code})
    anna = login(cast.anna)
    assert url in anna.get("/more/").text
    time_machine.move_to(MONDAY + DAY, tick=False)
    assert url not in anna.get("/more/").text


def test_a_stranger_gets_404_for_the_report_page(cast, statement, login):
    bram = login(cast.bram)
    assert bram.get(reverse("absences:report", kwargs={"code": cast.eva.code})).status_code == 404


def test_the_manager_sets_the_opening_days(cast, login):
    lotte = login(cast.lotte)
    url = reverse("locations_staff:edit", kwargs={"code": cast.loc1.code})
    data = {
        "location-phone": "030 000 00 00",
        "location-email": "zonnebloem@example.org",
        "location-opening_hours": "Ma-za 7-19",
        "location-description": "",
        "location-cutoff_time": "09:00",
        "location-opening_days": ["1", "2", "3", "4", "5", "6"],
    }
    assert lotte.post(url, data).status_code == 302
    assert AbsenceSettings.objects.get(location=cast.loc1).opening_days == "123456"
    data["location-opening_days"] = []
    assert lotte.post(url, data).status_code == 200  # refused, nothing changed
    assert AbsenceSettings.objects.get(location=cast.loc1).opening_days == "123456"
