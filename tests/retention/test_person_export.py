"""A person's own access export (R21): everything the portal holds about them, readable (HTML
and PDF, in their language, dates in words) and machine-readable (JSON with a JSON Schema),
asked for by the parent on "My data" or by customer service answering an access request."""

import io
import json
import re
import zipfile
from datetime import timedelta

import jsonschema
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from absences.models import Absence
from audit.models import AccessKind
from audit.services import access_event_record_now
from consent.models import Purpose
from diary.models import DiaryEntry
from messaging.models import Message
from push.models import PushSubscription
from retention.models import DataRequest, Export
from tests.newsletters.helpers import publication

pytestmark = pytest.mark.django_db

NL_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
OTHER_CHILDREN = ("Mila", "Finn", "Noor", "Sem", "Lieke")


def _words(moment, months) -> str:
    """'4 december 2026 14:05': how the readable part writes a moment."""
    local = timezone.localtime(moment)
    return f"{local.day} {months[local.month - 1]} {local.year} {local:%H:%M}"


def _next_weekday(weekday: int):
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def annas_story(cast, statement, decide, client, login):
    """Anna logs in through the form, writes a message, a diary note and reports an absence;
    she decides on consent; Sanne reads Daan's diary and Mila's (another family's child)."""
    decide(cast.daan, Purpose.DIARY, by=cast.anna)
    decide(cast.eva, Purpose.PHOTOS, given=False, by=cast.anna)
    decide(cast.daan, Purpose.DIARY, by=cast.chris)
    decide(cast.mila, Purpose.DIARY, by=cast.dewi)
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"}
    )
    assert response.status_code == 302
    assert client.get("/retention/").status_code == 200  # the session is listed from here on
    response = client.post(
        "/messaging/new/",
        {"child": cast.daan.code, "subject": "Slaapje", "body": "Daan sliep slecht vannacht."},
    )
    assert response.status_code == 302
    response = client.post(f"/diary/{cast.daan.code}/note/", {"text": "Hij heeft een tandje."})
    assert response.status_code == 302
    absent_on = _next_weekday(1)  # a Tuesday
    response = client.post(
        f"/absences/children/{cast.eva.code}/new/",
        {"start_date": absent_on.isoformat(), "end_date": "", "reason": "sick", "note": "Koorts"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    news = publication(
        "Lampionnenoptocht", locations=[cast.daan.group.location], created_by=cast.tom
    )
    assert client.get(reverse("newsletters:detail", kwargs={"code": news.code})).status_code == 200
    response = client.post(reverse("newsletters:settings"), {"news": "on"})  # newsletters off
    assert response.status_code == 302
    PushSubscription.objects.create(
        user=cast.anna,
        endpoint="https://push.example.org/geheim-adres",
        p256dh="geheime-sleutel",
        auth="geheim-auth",
        device="Telefoon van Anna",
        diary=True,
        messages=True,
    )
    access_event_record_now(user=cast.sanne, kind=AccessKind.DIARY_READ, child=cast.daan)
    access_event_record_now(user=cast.sanne, kind=AccessKind.DIARY_READ, child=cast.mila)
    access_event_record_now(user=cast.chris, kind=AccessKind.PHOTO_READ, child=cast.daan)
    return cast


def _export_me(cast, login, capture, who=None):
    who = who or cast.anna
    client = login(who, reauthenticated=True)
    with capture(execute=True):
        response = client.post("/retention/me/export/")
    assert response.status_code == 302 and response["Location"] == "/retention/"
    export = Export.objects.get(person=who, requested_by=who)
    assert export.status == Export.Status.READY
    response = client.get(f"/retention/exports/{export.code}/")
    assert response.status_code == 200
    return export, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _everything(archive) -> str:
    return "\n".join(
        archive.read(name).decode() for name in archive.namelist() if not name.endswith(".pdf")
    )


def test_it_exports_everything_about_the_person_and_validates_against_its_schema(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    _export, archive = _export_me(cast, login, django_capture_on_commit_callbacks)
    assert set(archive.namelist()) == {"person.json", "schema.json", "person.html", "person.pdf"}
    assert archive.read("person.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("person.json"))
    schema = json.loads(archive.read("schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(
        data,
        schema,
        cls=jsonschema.Draft202012Validator,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )

    assert data["account"]["email"] == "anna@example.org"
    assert data["account"]["language"] == "nl" and data["account"]["last_login"]
    daan = next(c for c in data["children"] if c["first_name"] == "Daan")
    assert daan["relation"] == "parent" and daan["other_guardians"] == ["Chris de Vries"]
    assert {c["first_name"] for c in data["children"]} == {"Daan", "Eva"}
    [message] = data["messages"]
    assert message["text"] == "Daan sliep slecht vannacht."
    assert message["conversation_subject"] == "Slaapje" and message["child"] == "Daan"
    [note] = data["diary_notes"]
    assert note["text"] == "Hij heeft een tandje." and note["child"] == "Daan"
    [absence] = data["absences"]
    assert absence["child"] == "Eva" and absence["reason"] == "sick"
    assert absence["note"] == "Koorts"
    assert absence["first_day"] == Absence.objects.get().start_date.isoformat()
    decisions = {(d["child"], d["purpose"], d["given"]) for d in data["consent_decisions"]}
    assert decisions == {("Daan", "diary", True), ("Eva", "photos", False)}
    assert {d["privacy_statement_version"] for d in data["consent_decisions"]} == {1}
    assert data["privacy_statements_accepted"][0]["version"] == 1
    assert data["sessions"] and data["sessions"][0]["ip_address"] == "127.0.0.1"
    [device] = data["push_subscriptions"]
    assert device["device"] == "Telefoon van Anna" and device["kinds"] == ["diary", "messages"]
    assert [item["title"] for item in data["news_read"]] == ["Lampionnenoptocht"]
    assert data["news_emails"] == {"news": True, "newsletters": False}
    assert data["news_written"] == []
    log = [(e["child"], e["who"], e["what"]) for e in data["access_log"]]
    assert ("Daan", "Sanne Mulder", "diary_read") in log
    assert all(who != "Chris de Vries" for _child, who, _what in log)  # his reads are his


def test_it_names_no_other_child_no_other_guardians_address_and_no_push_keys(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    _export, archive = _export_me(cast, login, django_capture_on_commit_callbacks)
    text = _everything(archive)
    for name in OTHER_CHILDREN:
        assert name not in text
    assert "chris@example.org" not in text and "Chris de Vries" in text
    for secret in ("geheim-adres", "geheime-sleutel", "geheim-auth"):
        assert secret not in text


def test_it_writes_the_readable_part_in_dutch_words_without_codes_or_iso_dates(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    _export, archive = _export_me(cast, login, django_capture_on_commit_callbacks)
    html = archive.read("person.html").decode()
    message = Message.objects.get(author=cast.anna)
    note = DiaryEntry.objects.get(author=cast.anna)
    absence = Absence.objects.get()
    assert _words(message.created_at, NL_MONTHS) in html
    assert _words(note.created_at, NL_MONTHS) in html
    assert f"{absence.start_date.day} {NL_MONTHS[absence.start_date.month - 1]}" in html
    assert _words(cast.anna.usersession_set.first().created_at, NL_MONTHS) in html
    assert "Afwezigheden die u meldde" in html and "Koorts" in html
    assert "ziek" in html and "toestemming gegeven" in html and "versie 1" in html
    assert "heeft het dagboek gelezen" in html and "Sanne Mulder" in html
    assert "Nieuws dat u opende" in html and "Lampionnenoptocht" in html
    assert "Daan sliep slecht vannacht." in html and "Hij heeft een tandje." in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html)  # no ISO dates or timestamps
    assert ">sick<" not in html and "diary_read" not in html


def test_it_writes_the_readable_part_in_english_for_an_english_account(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    cast.anna.language = "en"
    cast.anna.save(update_fields=["language"])
    _export, archive = _export_me(cast, login, django_capture_on_commit_callbacks)
    html = archive.read("person.html").decode()
    message = Message.objects.get(author=cast.anna)
    assert _words(message.created_at, EN_MONTHS) in html
    assert "Absences you reported" in html and "sick" in html and "read the diary" in html
    assert "Afwezigheden" not in html
    assert json.loads(archive.read("person.json"))["absences"][0]["reason_label"] == "sick"


def test_it_lists_the_news_a_staff_member_wrote_in_their_own_export(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    _export, archive = _export_me(cast, login, django_capture_on_commit_callbacks, who=cast.tom)
    data = json.loads(archive.read("person.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    [written] = data["news_written"]
    assert written["title"] == "Lampionnenoptocht" and written["kind"] == "news"
    assert data["news_read"] == [] and data["messages"] == []
    html = archive.read("person.html").decode()
    assert "Nieuws dat u schreef" in html and "Nieuwsbericht" in html


@pytest.mark.parametrize("who", ["dewi", "chris", "sanne", "service"])
def test_it_gives_every_other_person_404_for_the_export(
    annas_story, login, django_capture_on_commit_callbacks, who
):
    cast = annas_story
    export, _archive = _export_me(cast, login, django_capture_on_commit_callbacks)
    client = login(cast.users[who])
    assert client.get(f"/retention/exports/{export.code}/").status_code == 404


def test_it_asks_for_the_password_again_and_only_takes_a_post(cast, statement, login):
    client = login(cast.anna)
    assert client.get("/retention/me/export/").status_code == 405
    response = client.post("/retention/me/export/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not Export.objects.exists()


def test_it_answers_an_access_request_with_the_same_complete_export(
    annas_story, login, django_capture_on_commit_callbacks
):
    cast = annas_story
    anna = login(cast.anna)
    anna.post(
        "/retention/requests/new/", {"kind": "access", "subject": "me", "explanation": "Alles"}
    )
    request = DataRequest.objects.get()
    cast.service.language = "en"
    cast.service.save(update_fields=["language"])
    service = login(cast.service, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        service.post(f"/staff/retention/requests/{request.code}/export/")
    export = Export.objects.get(person=cast.anna)
    assert export.requested_by == cast.anna and export.status == Export.Status.READY
    assert mail.outbox[-1].to == ["anna@example.org"]
    response = login(cast.anna).get(f"/retention/exports/{export.code}/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {"person.json", "schema.json", "person.html", "person.pdf"} <= set(archive.namelist())
    data = json.loads(archive.read("person.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    assert data["messages"][0]["text"] == "Daan sliep slecht vannacht."
    assert [r["kind"] for r in data["data_requests"]] == ["access"]
    html = archive.read("person.html").decode()
    assert "Afwezigheden die u meldde" in html  # Anna's language, not customer service's
    for name in OTHER_CHILDREN:
        assert name not in _everything(archive)
