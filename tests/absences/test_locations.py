import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from absences.models import AbsenceSettings, LocationClosure
from absences.services import location_update
from absences.staff_location_views import LocationForm
from core.errors import DomainError


def _detail(location):
    return reverse("locations:detail", kwargs={"code": location.code})


def test_a_parent_sees_the_location_of_their_child(cast, statement, login):
    LocationClosure.objects.create(
        location=cast.loc1,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=31),
        reason="Studiedagen",
    )
    response = login(cast.anna).get(_detail(cast.loc1))
    assert response.status_code == 200
    text = response.text
    for expected in (
        "Zonnebloemlaan 12",
        "030 123 45 67",
        "zonnebloem@example.org",
        "Groep A",
        "Studiedagen",
        "openstreetmap.org/search",
    ):
        assert expected in text
    assert "<iframe" not in text


def test_a_parent_of_another_location_gets_404(cast, statement, login):
    assert login(cast.bram).get(_detail(cast.loc1)).status_code == 404
    assert login(cast.anna).get(_detail(cast.loc2)).status_code == 404


def test_the_child_card_links_to_the_location_page(cast, statement, login):
    child_page = reverse("child", args=[cast.daan.code])
    assert _detail(cast.loc1) in login(cast.anna).get(child_page).text


def test_a_parent_who_refused_every_consent_sees_the_location(cast, decide, login):
    from consent.models import Purpose

    for child in (cast.daan, cast.eva):
        for purpose in (Purpose.PHOTOS, Purpose.DIARY):
            decide(child, purpose, given=False)
    assert login(cast.anna).get(_detail(cast.loc1)).status_code == 200


def test_the_manager_edits_the_location_and_its_cutoff(cast, login):
    lotte = login(cast.lotte)
    url = reverse("locations_staff:edit", kwargs={"code": cast.loc1.code})
    assert lotte.get(url).status_code == 200
    response = lotte.post(
        url,
        {
            "location-phone": "030 000 00 00",
            "location-email": "zonnebloem@example.org",
            "location-opening_hours": "Ma-vr 7-19",
            "location-description": "Parkeren achter het gebouw.",
            "location-cutoff_time": "08:30",
            "location-opening_days": ["1", "2", "3", "4", "5"],
        },
    )
    assert response.status_code == 302
    cast.loc1.refresh_from_db()
    assert cast.loc1.phone == "030 000 00 00"
    assert AbsenceSettings.objects.get(location=cast.loc1).cutoff_time == datetime.time(8, 30)


def test_the_manager_adds_and_removes_closing_days_but_not_in_the_past(cast, login):
    lotte = login(cast.lotte)
    url = reverse("locations_staff:closure_add", kwargs={"code": cast.loc1.code})
    today = timezone.localdate()
    lotte.post(
        url,
        {
            "closure-start_date": today + datetime.timedelta(days=3),
            "closure-end_date": today + datetime.timedelta(days=1),
            "closure-reason": "X",
        },
    )
    lotte.post(
        url,
        {
            "closure-start_date": today - datetime.timedelta(days=3),
            "closure-end_date": today - datetime.timedelta(days=1),
            "closure-reason": "X",
        },
    )
    assert not LocationClosure.objects.exists()
    lotte.post(
        url, {"closure-start_date": today, "closure-end_date": today, "closure-reason": "Studiedag"}
    )
    closure = LocationClosure.objects.get()
    lotte.post(
        reverse(
            "locations_staff:closure_delete",
            kwargs={"code": cast.loc1.code, "closure_code": closure.code},
        )
    )
    assert not LocationClosure.objects.exists()


def test_a_manager_of_another_location_and_group_workers_cannot_edit(cast, login):
    url = reverse("locations_staff:edit", kwargs={"code": cast.loc2.code})
    assert login(cast.lotte).get(url).status_code == 404
    url = reverse("locations_staff:edit", kwargs={"code": cast.loc1.code})
    assert login(cast.sanne).get(url).status_code == 404
    assert login(cast.service).get(url).status_code == 200


def test_group_workers_see_their_location_page(cast, login):
    client = login(cast.tom)
    assert client.get(_detail(cast.loc2)).status_code == 200
    assert client.get(_detail(cast.loc1)).status_code == 404


def test_the_staff_home_links_managers_to_news_and_location_editing(cast, login):
    text = login(cast.lotte).get(reverse("staff:home")).text
    assert reverse("newsletters_staff:list") in text
    assert reverse("locations_staff:list") in text
    assert reverse("locations_staff:list") not in login(cast.sanne).get(reverse("staff:home")).text


def test_the_staff_child_page_links_to_registering_a_phoned_in_absence(cast, login):
    text = login(cast.sanne).get(reverse("staff:child", kwargs={"code": cast.eva.code})).text
    assert reverse("absences_staff:register", kwargs={"code": cast.eva.code}) in text


def test_customer_service_also_corrects_the_address_and_a_manager_cannot(cast, login):
    url = reverse("locations_staff:edit", kwargs={"code": cast.loc1.code})
    data = {
        "location-name": "Kindercentrum De Zonnebloem",
        "location-street": "Nieuwe Gracht 12",
        "location-postal_code": "3512 LT",
        "location-city": "Utrecht",
        "location-phone": "030 000 00 00",
        "location-email": "zonnebloem@example.org",
        "location-opening_hours": "Ma-vr 7-19",
        "location-description": "",
        "location-cutoff_time": "09:00",
        "location-opening_days": ["1", "2", "3", "4", "5"],
    }
    service = login(cast.service)
    page = service.get(url).text
    assert 'name="location-street"' in page
    assert "worden door klantenservice gewijzigd" not in page  # she is customer service
    assert service.post(url, data).status_code == 302
    cast.loc1.refresh_from_db()
    assert (cast.loc1.street, cast.loc1.postal_code) == ("Nieuwe Gracht 12", "3512 LT")

    lotte = login(cast.lotte)
    page = lotte.get(url).text
    assert 'name="location-street"' not in page
    assert "Naam en adres worden door klantenservice gewijzigd." in page
    lotte.post(url, {**data, "location-street": "Elders 1"})  # the field is ignored for her
    cast.loc1.refresh_from_db()
    assert cast.loc1.street == "Nieuwe Gracht 12"


def test_it_saves_the_location_and_its_absence_settings_together_or_not_at_all(cast):
    """absences.services.location_update: a refused setting leaves the location unchanged."""
    location = cast.loc1
    phone = location.phone
    form = LocationForm(
        {
            "phone": "020 123 45 67",
            "email": "info@example.org",
            "opening_hours": "7-18",
            "description": "Binnen via de zijdeur.",
            "cutoff_time": "09:00",
            "opening_days": ["1"],
        },
        instance=location,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(DomainError):
        location_update(form=form, cutoff_time=datetime.time(9), opening_days="")
    location.refresh_from_db()
    assert location.phone == phone
