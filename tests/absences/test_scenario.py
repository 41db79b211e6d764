"""The issue's "done when" for absences, through HTTP with the named cast."""

import datetime
import zoneinfo

from django.urls import reverse

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def test_anna_reports_eva_sick_and_sanne_sees_it_then_the_cutoff_closes_today(
    cast, statement, client, login, time_machine
):
    morning = datetime.datetime(2026, 3, 10, 8, 15, tzinfo=AMS)
    time_machine.move_to(morning, tick=False)
    anna = login(cast.anna)
    report = reverse("absences:report", kwargs={"code": cast.eva.code})
    response = anna.post(report, {"start_date": "2026-03-10", "reason": "sick", "note": "Koorts"})
    assert response.status_code == 302

    sanne = login(cast.sanne)
    home = sanne.get(reverse("staff:home")).text
    assert "Eva de Vries" in home and "Koorts" in home

    time_machine.move_to(morning.replace(hour=9, minute=0), tick=False)
    anna = login(cast.anna)
    response = anna.post(
        reverse("absences:report", kwargs={"code": cast.daan.code}),
        {"start_date": "2026-03-10", "reason": "sick"},
    )
    assert response.status_code == 200
    assert "030 123 45 67" in response.text
    assert "Belt u alstublieft de vestiging" in response.text
