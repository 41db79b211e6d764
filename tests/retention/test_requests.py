"""Data requests (R20, R21): a parent files, customer service handles within 4 weeks, every
step is recorded, the parent sees status and outcome."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from daycare.models import Child
from retention.models import DataRequest, DestructionRecord, Export
from retention.tasks import remind_deadlines_task

pytestmark = pytest.mark.django_db


def file_request(client, kind="access", subject="me", explanation="Ik wil mijn gegevens zien."):
    return client.post(
        "/retention/requests/new/",
        {"kind": kind, "subject": subject, "explanation": explanation},
    )


def test_it_lets_a_parent_file_a_request_about_themselves(cast, statement, login):
    client = login(cast.anna)
    assert client.get("/retention/requests/new/").status_code == 200
    response = file_request(client)
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert request.requested_by == cast.anna and not request.about_child
    assert request.deadline == timezone.localdate() + timedelta(days=28)
    assert list(request.events.values_list("action", flat=True)) == ["received"]
    page = client.get("/retention/").text
    assert "Ontvangen" in page or "received" in page.lower()


def test_it_lets_a_parent_file_a_request_about_their_child(cast, statement, login):
    file_request(login(cast.anna), kind="correction", subject=cast.eva.code)
    request = DataRequest.objects.get()
    assert request.child == cast.eva and request.about_child


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "access", "subject": "FINN", "explanation": "x"}, "subject"),
        ({"kind": "delete-all", "subject": "me", "explanation": "x"}, "kind"),
        ({"kind": "correction", "subject": "me", "explanation": "   "}, "explanation"),
        ({"kind": "erasure", "subject": "me", "explanation": ""}, "explanation"),
    ],
)
def test_it_refuses_bad_input_and_files_nothing(cast, statement, login, data, message):
    client = login(cast.anna)
    if data["subject"] == "FINN":
        data = {**data, "subject": cast.finn.code}  # another family's child
    response = client.post("/retention/requests/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[message]
    assert not DataRequest.objects.exists()


def _queue(client):
    return client.get("/staff/retention/requests/")


def test_it_shows_the_queue_sorted_by_deadline_with_highlights(cast, statement, login):
    today = timezone.localdate()
    for days_left in (20, -2, 5):
        DataRequest.objects.create(
            requested_by=cast.anna,
            kind="access",
            explanation="x",
            deadline=today + timedelta(days=days_left),
        )
    response = _queue(login(cast.service))
    assert response.status_code == 200
    rows = [state for _item, _days, state in response.context["rows"]]
    assert rows == ["overdue", "soon", ""]
    assert "card deadline-overdue" in response.text
    assert "card deadline-soon" in response.text


@pytest.mark.parametrize("who", ["lotte", "sanne", "anna", "fleur"])
def test_it_answers_404_for_the_queue_to_everyone_else(cast, statement, login, who):
    request = DataRequest.objects.create(
        requested_by=cast.anna, kind="access", explanation="x", deadline=timezone.localdate()
    )
    client = login(cast.users[who])
    assert _queue(client).status_code == 404
    assert client.get(f"/staff/retention/requests/{request.code}/").status_code == 404
    assert client.post(f"/staff/retention/requests/{request.code}/take/").status_code == 404
    request.refresh_from_db()
    assert request.status == "received"


def test_it_answers_an_access_request_with_a_complete_export(
    cast, statement, login, client, django_capture_on_commit_callbacks
):
    file_request(login(cast.anna))
    request = DataRequest.objects.get()
    service = login(cast.service, reauthenticated=True)
    url = f"/staff/retention/requests/{request.code}/"
    service.post(f"{url}take/")
    with django_capture_on_commit_callbacks(execute=True):
        service.post(f"{url}export/")
    service.post(f"{url}close/", {"outcome-outcome": "Uw export staat klaar."})
    request.refresh_from_db()
    assert request.status == "done" and request.handler == cast.service
    assert list(request.events.values_list("action", flat=True)) == [
        "received",
        "taken",
        "export started",
        "done",
    ]
    export = Export.objects.get(person=cast.anna)
    assert export.requested_by == cast.anna and export.status == "ready"
    assert mail.outbox[-1].to == ["anna@example.org"]

    anna = login(cast.anna)
    page = anna.get("/retention/").text
    assert "Uw export staat klaar." in page
    response = anna.get(f"/retention/exports/{export.code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("person.json"))
    assert data["account"]["email"] == "anna@example.org"
    assert {c["first_name"] for c in data["children"]} == {"Daan", "Eva"}
    assert archive.read("person.pdf").startswith(b"%PDF")


def test_it_refuses_an_erasure_while_a_contract_runs(cast, statement, login):
    file_request(login(cast.anna), kind="erasure", subject=cast.eva.code)
    request = DataRequest.objects.get()
    service = login(cast.service, reauthenticated=True)
    service.post(
        f"/staff/retention/requests/{request.code}/erase/",
        {"erase-confirm": "on"},
    )
    request.refresh_from_db()
    assert request.status == "refused" and "contract" in request.outcome
    assert Child.objects.filter(pk=cast.eva.pk).exists()
    assert "contract" in login(cast.anna).get("/retention/").text


def test_it_refuses_an_erasure_when_a_legal_duty_applies(cast, statement, login):
    file_request(login(cast.fleur), kind="erasure", subject=cast.noor.code)
    request = DataRequest.objects.get()
    login(cast.service, reauthenticated=True).post(
        f"/staff/retention/requests/{request.code}/erase/",
        {"erase-confirm": "on", "erase-legal_duty": "lopend geschil"},
    )
    request.refresh_from_db()
    assert request.status == "refused" and "lopend geschil" in request.outcome
    assert Child.objects.filter(pk=cast.noor.pk).exists()


def test_it_needs_a_confirmation_before_erasing(cast, statement, login):
    file_request(login(cast.fleur), kind="erasure", subject=cast.noor.code)
    request = DataRequest.objects.get()
    response = login(cast.service, reauthenticated=True).post(
        f"/staff/retention/requests/{request.code}/erase/"
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "received"
    assert Child.objects.filter(pk=cast.noor.pk).exists()


def test_it_erases_a_child_whose_care_ended_through_the_destruction_path(cast, statement, login):
    file_request(login(cast.fleur), kind="erasure", subject=cast.noor.code)
    request = DataRequest.objects.get()
    login(cast.service, reauthenticated=True).post(
        f"/staff/retention/requests/{request.code}/erase/",
        {"erase-confirm": "on"},
    )
    request.refresh_from_db()
    assert request.status == "done" and request.child is None
    assert not Child.objects.filter(pk=cast.noor.pk).exists()
    assert DestructionRecord.objects.get().reason == "erasure request"
    assert User.objects.get(pk=cast.fleur.pk).is_active  # Sem and Lieke remain


def erase(service, request):
    return service.post(f"/staff/retention/requests/{request.code}/erase/", {"erase-confirm": "on"})


def test_it_erases_a_parent_without_running_contracts(
    cast, statement, login, mailoutbox, django_capture_on_commit_callbacks
):
    file_request(login(cast.fleur), kind="erasure")
    request = DataRequest.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erase(login(cast.service, reauthenticated=True), request)
    request.refresh_from_db()
    assert request.status == "done"
    fleur = User.objects.get(pk=cast.fleur.pk)
    assert not fleur.is_active and fleur.email.endswith("@invalid")
    assert not Child.objects.filter(last_name="Visser").exists()
    # She cannot log in to read the outcome any more: the last e-mail tells her, with no data.
    (mail,) = mailoutbox
    assert mail.to == ["fleur@example.org"]
    assert "verwijderd" in mail.body and "afgesloten" in mail.body
    assert "Noor" not in mail.body and "Visser" not in mail.body


def test_it_sends_no_closing_mail_when_the_account_stays(
    cast, statement, login, mailoutbox, django_capture_on_commit_callbacks
):
    file_request(login(cast.fleur), kind="erasure", subject=cast.noor.code)
    request = DataRequest.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erase(login(cast.service, reauthenticated=True), request)
    assert not mailoutbox  # Sem and Lieke remain: she reads the outcome on her page


def test_it_refuses_to_close_without_an_outcome(cast, statement, login):
    file_request(login(cast.anna))
    request = DataRequest.objects.get()
    login(cast.service).post(
        f"/staff/retention/requests/{request.code}/close/", {"outcome-outcome": ""}
    )
    request.refresh_from_db()
    assert request.status == "received"


def test_it_closes_a_request_as_refused_from_the_same_form(cast, statement, login):
    file_request(login(cast.anna), kind="correction")
    request = DataRequest.objects.get()
    client = login(cast.service)
    page = client.get(f"/staff/retention/requests/{request.code}/").text
    assert f'formaction="/staff/retention/requests/{request.code}/refuse/"' in page
    client.post(
        f"/staff/retention/requests/{request.code}/refuse/",
        {"outcome-outcome": "Dit gegeven klopt volgens onze administratie."},
    )
    request.refresh_from_db()
    assert request.status == "refused" and "administratie" in request.outcome


def test_it_records_notes(cast, statement, login):
    file_request(login(cast.anna), kind="correction")
    request = DataRequest.objects.get()
    login(cast.service).post(
        f"/staff/retention/requests/{request.code}/note/",
        {"note-note": "Telefoonnummer aangepast in beheer."},
    )
    assert request.events.filter(action="note", actor=cast.service).exists()


def test_it_emails_customer_service_daily_about_near_deadlines(cast, settings):
    today = timezone.localdate()
    DataRequest.objects.create(
        requested_by=cast.anna, kind="access", explanation="geheim", deadline=today + timedelta(7)
    )
    DataRequest.objects.create(
        requested_by=cast.anna, kind="erasure", explanation="x", deadline=today + timedelta(8)
    )
    closed = DataRequest.objects.create(
        requested_by=cast.anna, kind="access", explanation="x", deadline=today, status="done"
    )
    assert remind_deadlines_task() == 1
    message = mail.outbox[-1]
    assert message.to == [settings.CUSTOMER_SERVICE_EMAIL]
    assert "geheim" not in message.body and "Anna" not in message.body
    assert closed.code not in message.body


def test_it_sends_no_reminder_when_nothing_is_near(cast):
    with time_machine.travel(timezone.now(), tick=False):
        assert remind_deadlines_task() == 0
    assert not mail.outbox


def test_it_answers_404_for_a_forged_request_code(cast, statement, login):
    client = login(cast.service)
    assert client.get("/staff/retention/requests/AAAAAAAAAAAAAAAA/").status_code == 404


def test_it_takes_no_action_on_the_request_page_itself(cast, statement, login):
    file_request(login(cast.anna))
    request = DataRequest.objects.get()
    client = login(cast.service)
    assert client.post(f"/staff/retention/requests/{request.code}/").status_code == 405
    assert client.post(f"/staff/retention/requests/{request.code}/explode/").status_code == 404
    request.refresh_from_db()
    assert request.status == "received" and request.events.count() == 1


def test_it_refuses_an_export_for_a_correction_request(cast, statement, login):
    file_request(login(cast.anna), kind="correction")
    request = DataRequest.objects.get()
    login(cast.service, reauthenticated=True).post(
        f"/staff/retention/requests/{request.code}/export/"
    )
    assert not Export.objects.exists()


def test_it_keeps_the_parent_page_at_a_fixed_number_of_queries(cast, statement, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.anna)
    file_request(client)
    client.get("/retention/")
    with CaptureQueriesContext(connection) as one:
        client.get("/retention/")
    for _n in range(10):
        file_request(client, kind="correction", subject=cast.eva.code)
        Export.objects.create(child=cast.eva, requested_by=cast.anna, status="ready")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/retention/")
    assert response.text.count("Eva") >= 20
    assert len(many) == len(one)
