"""R20: the request desk can do what it promises: the queue says who asked about whom and by
when; customer service corrects a parent's details, a child's name and date of birth and a
diary entry's text through forms of its own, recorded on the request; access needs no
explanation."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from daycare.models import Child
from diary.models import DiaryDay, DiaryEntry
from retention.models import DataRequest

pytestmark = pytest.mark.django_db


def make_request(cast, kind="correction", child=None):
    return DataRequest.objects.create(
        requested_by=cast.anna,
        kind=kind,
        child=child,
        about_child=child is not None,
        explanation="Mijn telefoonnummer klopt niet.",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
    )


def url(item, action=""):
    return f"/staff/retention/requests/{item.code}/" + (f"{action}/" if action else "")


def test_it_shows_who_asked_about_whom_and_the_deadline_in_the_queue(cast, statement, login):
    make_request(cast, child=cast.eva)
    make_request(cast, kind="access")
    page = login(cast.service).get("/staff/retention/requests/").text
    assert page.count("Anna de Vries") == 2
    assert "Eva de Vries" in page
    assert "de ouder zelf" in page
    assert "Uiterste datum" in page or "Deadline" in page


def test_it_files_an_access_request_without_an_explanation(cast, statement, login):
    client = login(cast.anna)
    response = client.post(
        "/retention/requests/new/", {"kind": "access", "subject": "me", "explanation": ""}
    )
    assert response.status_code == 302
    assert DataRequest.objects.get().explanation == ""
    assert login(cast.service).get(url(DataRequest.objects.get())).status_code == 200


def test_it_corrects_the_parents_details_and_records_which_fields(cast, statement, login):
    item = make_request(cast)
    service = login(cast.service)
    page = service.get(url(item)).text
    assert 'name="parent-phone"' in page and "/beheer/" not in page
    data = {
        "parent-first_name": "Anna",
        "parent-last_name": "de Vries-Jansen",
        "parent-phone": "06 98765432",
        "parent-street": cast.anna.street,
        "parent-postal_code": cast.anna.postal_code,
        "parent-city": cast.anna.city,
    }
    assert service.post(url(item, "correct-parent"), data).status_code == 302
    anna = User.objects.get(pk=cast.anna.pk)
    assert (anna.last_name, anna.phone) == ("de Vries-Jansen", "06 98765432")
    event = item.events.get(action="corrected")
    assert event.actor == cast.service
    assert "achternaam" in event.note and "telefoonnummer" in event.note
    assert "98765432" not in event.note  # which fields, not the values


def test_it_refuses_bad_contact_details_and_changes_nothing(cast, statement, login):
    item = make_request(cast)
    service = login(cast.service)
    response = service.post(
        url(item, "correct-parent"),
        {
            "parent-first_name": "Anna",
            "parent-last_name": "de Vries",
            "parent-phone": "bel me maar",
            "parent-postal_code": "nergens",
        },
    )
    assert response.status_code == 200
    assert "Controleer de velden" in response.text
    assert User.objects.get(pk=cast.anna.pk).phone == cast.anna.phone
    assert not item.events.filter(action="corrected").exists()


def test_it_corrects_a_childs_name_and_date_of_birth(cast, statement, login):
    item = make_request(cast, child=cast.eva)
    service = login(cast.service)
    born = datetime.date(2025, 9, 14)
    response = service.post(
        url(item, "correct-child"),
        {
            "child-first_name": "Eva",
            "child-last_name": "de Vries",
            "child-date_of_birth": born.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Child.objects.get(pk=cast.eva.pk).date_of_birth == born
    assert "geboortedatum" in item.events.get(action="corrected").note
    bad = service.post(
        url(item, "correct-child"),
        {"child-first_name": "", "child-date_of_birth": "31-02"},
    )
    assert bad.status_code == 200
    assert Child.objects.get(pk=cast.eva.pk).first_name == "Eva"


def test_it_corrects_a_diary_entry_and_tells_its_author(
    cast, statement, login, django_capture_on_commit_callbacks
):
    day = DiaryDay.objects.create(child=cast.eva, date=timezone.localdate())
    entry = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Eva at pap")
    item = make_request(cast, child=cast.eva)
    service = login(cast.service)
    assert "Eva at pap" in service.get(url(item)).text
    with django_capture_on_commit_callbacks(execute=True):
        response = service.post(
            url(item, "correct-entry"),
            {"entry-entry": entry.code, "entry-text": "Eva at fruit"},
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Eva at fruit" and entry.edited_at is not None
    (message,) = mail.outbox
    assert message.to == ["sanne@example.org"]
    assert "fruit" not in message.body and "Eva" not in message.body
    assert item.events.filter(action="corrected").exists()


def test_it_does_not_correct_another_childs_entry(cast, statement, login):
    day = DiaryDay.objects.create(child=cast.mila, date=timezone.localdate())
    entry = DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Mila sliep")
    item = make_request(cast, child=cast.eva)
    response = login(cast.service).post(
        url(item, "correct-entry"), {"entry-entry": entry.code, "entry-text": "Anders"}
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.text == "Mila sliep"


def test_it_offers_no_corrections_on_an_access_request(cast, statement, login):
    item = make_request(cast, kind="access")
    service = login(cast.service)
    assert 'name="parent-phone"' not in service.get(url(item)).text
    service.post(url(item, "correct-parent"), {"parent-last_name": "X"})
    assert User.objects.get(pk=cast.anna.pk).last_name == cast.anna.last_name


def test_a_stranger_gets_404_for_the_correction(cast, statement, login):
    item = make_request(cast)
    client = login(cast.lotte)
    response = client.post(url(item, "correct-parent"), {"parent-last_name": "X"})
    assert response.status_code == 404
    assert User.objects.get(pk=cast.anna.pk).last_name == cast.anna.last_name


def test_it_answers_404_for_a_child_correction_on_a_request_about_the_parent(
    cast, statement, login
):
    item = make_request(cast)  # about Anna herself: there is no child form
    service = login(cast.service)
    data = {"child-first_name": "Nieuw", "child-last_name": "Kind", "child-date_of_birth": ""}
    assert service.post(url(item, "correct-child"), data).status_code == 404
    assert service.post(url(item, "correct-entry"), {"entry-text": "x"}).status_code == 404
    assert not Child.objects.filter(first_name="Nieuw").exists()
