"""Journey 5 (R11): anna reports Eva sick for today, before the cut-off, and sanne sees it on
her staff home page."""

import datetime
import time
import zoneinfo

import pytest
from playwright.sync_api import expect

from absences.models import Absence, AbsenceSettings
from tests.e2e.conftest import DESKTOP, PHONE, check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def open_all_day(cast):
    """Reports for today stay open until 23:59 at De Zonnebloem, so the journey works at any
    hour and on any day of the week (the 09:00 boundary and closed days are tested with frozen
    time in tests/absences)."""
    AbsenceSettings.objects.update_or_create(
        location=cast.loc1,
        defaults={"cutoff_time": datetime.time(23, 59), "opening_days": "1234567"},
    )
    now = datetime.datetime.now(AMSTERDAM)
    if now.time() >= datetime.time(23, 58):  # don't let "today" change halfway
        time.sleep(125 - now.second - (now.minute - 58) * 60)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_lets_anna_report_eva_sick_and_sanne_see_it(open_page, cast, viewport, open_all_day):
    today = datetime.datetime.now(AMSTERDAM).date()
    anna = open_page(viewport)
    log_in(anna, "anna@example.org")
    anna.get_by_role("navigation", name="Uw kinderen").get_by_role("link", name="Eva").click()
    expect(anna.get_by_role("heading", name="Eva vandaag")).to_be_visible()
    anna.locator(".quick-actions").get_by_role("link", name="Afmelden").click()
    expect(anna.get_by_role("heading", name="Eva afmelden")).to_be_visible()
    expect(anna.get_by_label("Eerste dag")).to_have_value(today.isoformat())
    check_page(anna)

    anna.get_by_role("group", name="Reden").get_by_label("ziek").check()
    anna.get_by_label("Notitie").fill("Koorts sinds vannacht")
    anna.get_by_role("button", name="Afmelden").click()
    anna.wait_for_url("**/absences/")
    expect(
        anna.get_by_text("Eva is afgemeld. De medewerkers van de groep zien het nu.")
    ).to_be_visible()
    check_page(anna)

    absence = Absence.objects.get()
    assert (absence.child, absence.start_date, absence.end_date) == (cast.eva, today, today)
    assert absence.reason == Absence.Reason.SICK

    sanne = open_page(viewport)
    log_in(sanne, "sanne@example.org")
    sanne.goto("/staff/")
    today_box = sanne.locator("section.absences-today")
    expect(today_box.get_by_text("Eva de Vries")).to_be_visible()
    expect(today_box.get_by_text("Koorts sinds vannacht")).to_be_visible()
    check_page(sanne)
