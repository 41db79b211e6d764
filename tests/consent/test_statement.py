"""R7/R8: the privacy statement comes first; each acceptance is recorded; a new version forces
re-acceptance; old versions are refused."""

import pytest
from django.core import mail

from consent.models import PrivacyStatement, StatementAcceptance
from consent.services import statement_publish
from core.errors import DomainError
from tests.consent.helpers import in_notice_days, publish

pytestmark = pytest.mark.django_db


def test_it_sends_a_parent_who_has_not_accepted_to_the_statement(cast, client, login):
    publish(1, days_ago=3)
    login(cast.anna)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/consent/statement/?next=%2F"
    response = client.get(f"/children/{cast.daan.code}/")
    assert response["Location"].startswith("/consent/statement/")


def test_it_refuses_posts_elsewhere_until_accepted(cast, client, login):
    publish(1)
    login(cast.anna)
    response = client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/consent/statement/"
    assert not cast.daan.consent_decisions.exists()


def test_it_keeps_the_allow_list_open_before_accepting(cast, client, login):
    publish(1)
    login(cast.anna)
    assert client.get("/consent/statement/").status_code == 200
    assert client.get("/accounts/password/change/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_lets_staff_without_children_pass(cast, client, login):
    publish(1)
    login(cast.sanne)
    assert client.get("/staff/").status_code == 200


def test_it_shows_the_statement_with_the_configured_links(cast, client, login, settings):
    publish(1)
    login(cast.anna)
    response = client.get("/consent/statement/")
    html = response.content.decode()
    assert "Tekst van versie 1." in html
    assert "<h2>Versie 1</h2>" in html
    for url in (
        settings.PROCESSOR_PRIVACY_URL,
        settings.PRIVACY_REGULATION_URL,
        settings.CUSTOMER_SERVICE_URL,
    ):
        assert url in html


def test_it_escapes_markup_in_the_statement_text(cast, client):
    PrivacyStatement.objects.create(
        version=1,
        text_nl="<script>alert(1)</script>\n\n- <b>punt</b>",
        text_en="x",
        published_at=publish(0).published_at,
    )
    PrivacyStatement.objects.filter(version=0).delete()
    html = client.get("/consent/statement/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;b&gt;punt&lt;/b&gt;</li>" in html


def test_it_records_the_acceptance_and_continues_to_the_choices(cast, client, login):
    statement = publish(1)
    login(cast.anna)
    response = client.post("/consent/statement/", {"version": 1, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/consent/choices/?next=%2F"
    acceptance = StatementAcceptance.objects.get(user=cast.anna)
    assert acceptance.statement == statement
    assert client.get("/").status_code == 200


def test_it_continues_to_next_when_every_choice_is_made(cast, client, login, decide):
    for child in (cast.daan, cast.eva):
        for purpose in ("photos", "diary"):
            decide(child, purpose, by=cast.anna)
    publish(2)
    login(cast.anna)
    response = client.post("/consent/statement/", {"version": 2, "next": "/children/"})
    assert response["Location"] == "/children/"
    response = client.post("/consent/statement/", {"version": 2, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_refuses_an_old_version(cast, client, login, statement):
    publish(2)
    login(cast.anna)
    response = client.post("/consent/statement/", {"version": 1})
    assert response.status_code == 400
    assert (
        "no longer current" in response.content.decode() or "niet meer" in response.content.decode()
    )
    assert not StatementAcceptance.objects.filter(user=cast.anna, statement__version=2).exists()


def test_it_refuses_an_unknown_or_missing_version(cast, client, login):
    publish(1)
    login(cast.anna)
    assert client.post("/consent/statement/", {"version": 7}).status_code == 400
    assert client.post("/consent/statement/", {}).status_code == 400
    assert client.post("/consent/statement/", {"version": "x"}).status_code == 400
    assert not StatementAcceptance.objects.exists()


def test_it_ignores_a_version_that_is_not_yet_published(cast, client, login, statement):
    PrivacyStatement.objects.create(version=2, text_nl="x", text_en="x")
    login(cast.anna)
    assert client.get("/").status_code == 200
    assert client.post("/consent/statement/", {"version": 2}).status_code == 400


def test_it_forces_re_acceptance_of_a_new_version_with_what_changed(cast, client, login, statement):
    login(cast.anna)
    assert client.get("/").status_code == 200
    publish(2, summary="We bewaren foto's korter.")
    response = client.get("/")
    assert response["Location"].startswith("/consent/statement/")
    page = client.get("/consent/statement/").content.decode()
    assert "We bewaren foto&#x27;s korter." in page
    client.post("/consent/statement/", {"version": 2})
    assert StatementAcceptance.objects.filter(user=cast.anna, statement__version=2).exists()
    assert client.get("/").status_code == 200
    # The acceptance of version 1 is kept (proof).
    assert StatementAcceptance.objects.filter(user=cast.anna, statement__version=1).exists()


def test_it_shows_a_banner_on_allowed_pages_while_a_new_version_waits(
    cast, client, login, statement
):
    publish(2)
    login(cast.anna)
    page = client.get("/accounts/password/change/").content.decode()
    assert 'class="banner"' in page
    client.post("/consent/statement/", {"version": 2})
    page = client.get("/accounts/password/change/").content.decode()
    assert 'class="banner"' not in page


def test_it_publishes_a_version_and_e_mails_every_parent(
    cast, statement, django_capture_on_commit_callbacks
):
    draft = PrivacyStatement.objects.create(version=2, text_nl="Nieuw", text_en="New")
    with django_capture_on_commit_callbacks(execute=True):
        statement_publish(statement=draft, effective_on=in_notice_days())
    draft.refresh_from_db()
    assert draft.published_at is not None
    recipients = sorted(message.to[0] for message in mail.outbox)
    # fleur still has a child that is not archived; every message goes to one person only.
    assert recipients == sorted(
        f"{key}@example.org" for key in ("anna", "chris", "dewi", "bram", "fleur")
    )
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert "/consent/statement/next/" in mail.outbox[0].body
    with pytest.raises(DomainError):
        statement_publish(statement=draft, effective_on=in_notice_days())


def test_it_refuses_to_publish_an_older_version_number(cast, statement):
    draft = PrivacyStatement.objects.create(version=0, text_nl="Oud", text_en="Old")
    with pytest.raises(DomainError):
        statement_publish(statement=draft, effective_on=in_notice_days())
    draft.refresh_from_db()
    assert draft.published_at is None


def test_it_costs_one_query_per_request_for_a_parent_who_accepted(
    cast, client, login, statement, django_assert_num_queries
):
    from django.test import RequestFactory

    from consent.middleware import StatementAcceptanceMiddleware

    request = RequestFactory().get("/")
    request.user = cast.anna
    middleware = StatementAcceptanceMiddleware(lambda r: "passed")
    with django_assert_num_queries(1):
        assert middleware(request) == "passed"


def test_it_counts_a_version_from_the_second_it_is_published(cast, client, login, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    PrivacyStatement.objects.create(version=1, text_nl="x", text_en="x", published_at=moment)
    login(cast.anna)
    time_machine.move_to(moment - timedelta(seconds=1), tick=False)
    assert client.get("/").status_code == 200
    time_machine.move_to(moment, tick=False)
    assert client.get("/")["Location"].startswith("/consent/statement/")


def test_it_shows_the_english_text_in_english(cast, client, login):
    publish(1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/consent/statement/").content.decode()
    assert "Text of version 1." in page and "Tekst van versie 1." not in page


def test_it_lets_a_staff_member_who_is_a_parent_work_without_accepting(cast, client, login):
    from daycare.models import Guardianship

    publish(1)
    Guardianship.objects.create(user=cast.sanne, child=cast.mila)
    login(cast.sanne)
    assert client.get("/staff/").status_code == 200
    assert client.get("/")["Location"].startswith("/consent/statement/")


def test_it_lets_anyone_read_the_statement_but_only_parents_accept_it(cast, client):
    publish(1)
    assert client.get("/consent/statement/").status_code == 200
    assert client.post("/consent/statement/", {"version": 1}).status_code in (302, 404)
    assert not StatementAcceptance.objects.exists()


def test_it_announces_a_version_only_once(cast, statement, django_capture_on_commit_callbacks):
    from consent.tasks import announce_statement_task

    draft = PrivacyStatement.objects.create(version=2, text_nl="Nieuw", text_en="New")
    with django_capture_on_commit_callbacks(execute=True):
        statement_publish(statement=draft, effective_on=in_notice_days())
    sent = len(mail.outbox)
    announce_statement_task(draft.pk)
    assert len(mail.outbox) == sent == 5
