"""Stored XSS (issue 9): hostile text in every field that another person sees is shown escaped
on the page, in the e-mail (plain text only, no HTML part) and in the admin changelist."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from diary.models import DiaryDay, DiaryEntry
from newsletters.models import Publication
from newsletters.sanitize import clean_body
from tests.security.world import build_world

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_escaped(html: str, *, shown=True):
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html
    if shown:
        assert SHOWN in html, "the hostile text is not on the page at all"


def assert_mails_are_plain_text():
    for message in mail.outbox:
        assert not getattr(message, "alternatives", []), "HTML e-mail: check its escaping"
        assert message.content_subtype == "plain"


@pytest.fixture
def world(cast, decide, django_capture_on_commit_callbacks):
    return build_world(cast, decide, django_capture_on_commit_callbacks)


def test_it_escapes_a_parent_s_name_for_staff_and_in_the_admin(client, login, world):
    login(world.anna)
    response = client.post(
        "/account/details/", {"first_name": PAYLOAD[:100], "last_name": "de Vries"}
    )
    assert response.status_code == 302
    login(world.sanne)
    assert_escaped(client.get(f"/staff/children/{world.daan.code}/").text)
    assert_escaped(client.get(f"/staff/messaging/c/{world.conversation.code}/").text)
    login(world.admin)
    assert_escaped(client.get("/beheer/accounts/user/").text)


def test_it_escapes_a_message_subject_and_body_for_staff(
    client, login, world, django_capture_on_commit_callbacks
):
    login(world.anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/messaging/new/",
            {"child": world.daan.code, "subject": PAYLOAD, "body": PAYLOAD + " body"},
        )
    assert response.status_code == 302
    conversation = world.daan.conversations.get(subject=PAYLOAD)
    login(world.sanne)
    assert_escaped(client.get(f"/staff/messaging/groups/{world.group_a.code}/").text)
    assert_escaped(client.get(f"/staff/messaging/c/{conversation.code}/").text)
    # And for chris, the other guardian.
    login(world.chris)
    assert_escaped(client.get(f"/messaging/c/{conversation.code}/").text)
    assert_mails_are_plain_text()


def test_it_escapes_a_parent_note_and_an_absence_note_for_staff(
    client, login, world, django_capture_on_commit_callbacks
):
    login(world.anna)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/diary/{world.daan.code}/note/", {"text": PAYLOAD}).status_code == 302
        day = timezone.localdate() + timedelta(days=14 - timezone.localdate().weekday())
        response = client.post(
            f"/absences/children/{world.daan.code}/new/",
            {"start_date": day.isoformat(), "reason": "other", "note": PAYLOAD},
        )
    assert response.status_code == 302
    login(world.sanne)
    assert_escaped(client.get(f"/staff/diary/children/{world.daan.code}/").text)
    assert_escaped(client.get("/staff/absences/", {"date": day.isoformat()}).text)
    login(world.chris)
    assert_escaped(client.get(f"/diary/{world.daan.code}/").text)
    login(world.admin)
    assert_escaped(client.get("/beheer/absences/absence/").text, shown=False)
    assert_mails_are_plain_text()


def test_it_escapes_diary_text_written_by_staff_for_parents(client, login, world):
    day, _ = DiaryDay.objects.get_or_create(child=world.daan, date=timezone.localdate())
    DiaryEntry.objects.create(day=day, kind=DiaryEntry.Kind.STAFF, author=world.sanne, text=PAYLOAD)
    login(world.anna)
    assert_escaped(client.get(f"/diary/{world.daan.code}/").text)
    assert_escaped(client.get(f"/diary/{world.daan.code}/print/").text)


def test_it_escapes_news_titles_and_sanitises_news_bodies(
    client, login, world, django_capture_on_commit_callbacks
):
    item = Publication.objects.create(
        title=PAYLOAD,
        kind=Publication.Kind.NEWS,
        body=clean_body(f"<p>{PAYLOAD}</p><a href='javascript:alert(1)'>x</a>"),
        for_all_locations=True,
        published_at=timezone.now() - timedelta(minutes=1),
        created_by=world.lotte,
    )
    from newsletters.services import publications_announce_due

    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    login(world.anna)
    assert_escaped(client.get("/newsletters/").text)
    detail = client.get(f"/newsletters/{item.code}/").text
    assert_escaped(detail)
    assert "javascript:alert" not in detail
    assert mail.outbox, "the announcement was sent"
    assert_mails_are_plain_text()
    login(world.admin)
    assert_escaped(client.get("/beheer/newsletters/publication/").text)


def test_it_escapes_location_practical_information_for_parents(client, login, world):
    login(world.lotte)
    response = client.post(
        f"/staff/locations/{world.loc1.code}/",
        {
            "location-phone": "030 123 45 67",
            "location-email": "zonnebloem@example.org",
            "location-opening_hours": PAYLOAD,
            "location-description": PAYLOAD,
            "location-cutoff_time": "09:00",
            "location-opening_days": ["1", "2", "3", "4", "5"],
        },
    )
    assert response.status_code == 302
    login(world.anna)
    assert_escaped(client.get(f"/locations/{world.loc1.code}/").text)


def test_it_escapes_a_closure_reason_for_parents(client, login, world):
    login(world.lotte)
    day = timezone.localdate() + timedelta(days=21 - timezone.localdate().weekday())
    client.post(
        f"/staff/locations/{world.loc1.code}/closures/",
        {
            "closure-start_date": day.isoformat(),
            "closure-end_date": day.isoformat(),
            "closure-reason": PAYLOAD,
        },
    )
    assert world.loc1.closures.filter(reason=PAYLOAD).exists()
    login(world.anna)
    assert_escaped(client.get(f"/locations/{world.loc1.code}/").text)


def test_it_escapes_a_data_request_s_explanation_notes_and_outcome(client, login, world):
    """The parent's words reach customer service and the admin; service's words reach the
    parent: both ways escaped (R19-R21)."""
    from retention.models import DataRequest

    login(world.anna)
    response = client.post(
        "/retention/requests/new/",
        {"kind": "correction", "subject": "me", "explanation": PAYLOAD},
    )
    assert response.status_code == 302
    request = DataRequest.objects.get(explanation=PAYLOAD)
    login(world.service)
    assert_escaped(client.get("/staff/retention/requests/").text, shown=False)
    detail = f"/staff/retention/requests/{request.code}/"
    assert_escaped(client.get(detail).text)
    client.post(f"{detail}note/", {"note-note": PAYLOAD})
    client.post(f"{detail}close/", {"outcome-outcome": PAYLOAD})
    request.refresh_from_db()
    assert request.status == "done" and request.outcome == PAYLOAD
    page = client.get(detail).text
    assert_escaped(page)
    assert page.count(SHOWN) >= 3  # the explanation, the note and the outcome
    login(world.anna)
    assert_escaped(client.get("/retention/").text)
    login(world.admin)
    assert_escaped(client.get("/beheer/retention/datarequest/").text, shown=False)
    assert_escaped(client.get(f"/beheer/retention/datarequest/{request.pk}/change/").text)
