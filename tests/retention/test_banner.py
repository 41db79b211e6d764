"""The 8-week window (R16): guardians see the date their access ends and a download button."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from retention import schedule

pytestmark = pytest.mark.django_db


def test_it_shows_fleur_the_banner_for_noor_with_the_last_day(cast, statement, login):
    response = login(cast.fleur).get("/")
    last_day = schedule.access_ends_on(timezone.localdate() - timedelta(weeks=3))
    assert "retention-banner" in response.text
    assert f"/retention/children/{cast.noor.code}/export/" in response.text
    with translation.override("nl"):
        assert date_format(last_day, "j F Y") in response.text  # e.g. "16 december 2026"
    # Sem (10 weeks) and Lieke (13 months) are past their window: no button for them.
    assert f"/retention/children/{cast.sem.code}/export/" not in response.text


def test_it_shows_no_banner_to_parents_whose_care_runs(cast, statement, login):
    assert "retention-banner" not in login(cast.anna).get("/").text


def test_it_shows_no_banner_on_staff_pages(cast, statement, login):
    assert "retention-banner" not in login(cast.service).get("/staff/").text


def test_it_links_my_data_in_the_parent_navigation(cast, statement, login):
    # Vandaag's tab bar leads to Meer, which lists the parent's own pages (issue 17).
    assert 'href="/more/"' in login(cast.anna).get("/").text
    assert 'href="/retention/"' in login(cast.anna).get("/more/").text
    assert login(cast.anna).get("/retention/").status_code == 200


def test_it_shows_customer_service_the_privacy_panel_on_the_staff_home(cast, login):
    from retention.models import DataRequest

    DataRequest.objects.create(
        requested_by=cast.anna, kind="access", explanation="x", deadline=timezone.localdate()
    )
    response = login(cast.service).get("/staff/")
    assert "/staff/retention/requests/" in response.text
    assert "/staff/retention/archive/" in response.text
    assert "/staff/retention/" not in login(cast.sanne).get("/staff/").text
