"""R7: a new statement version is announced at least STATEMENT_NOTICE_DAYS before it applies
(e-mail and a banner with what changes and a link); until then the current version stays in
force and nobody is blocked; from the effective date a parent accepts at the next visit.
Customer service publishes with a confirmation that counts the parents e-mailed, and can
withdraw a version until it applies. Frozen time at the boundaries."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from accounts.models import User
from consent.models import PrivacyStatement, StatementAcceptance

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
PUBLISHED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=AMS)
EARLIEST = datetime.date(2026, 12, 2)  # 30 days after 2 November
APPLIES = datetime.datetime(2026, 12, 2, 0, 0, tzinfo=AMS)
LIST = "/staff/consent/statements/"


@pytest.fixture
def v1(cast, time_machine):
    statement = PrivacyStatement.objects.create(
        version=1,
        text_nl="Versie een",
        text_en="Version one",
        published_at=PUBLISHED - datetime.timedelta(days=60),
    )
    for key in ("anna", "chris", "dewi", "bram", "fleur"):
        StatementAcceptance.objects.create(user=cast.users[key], statement=statement)
    time_machine.move_to(PUBLISHED, tick=False)
    return statement


@pytest.fixture
def draft(v1):
    return PrivacyStatement.objects.create(
        version=2,
        text_nl="Versie twee: wij bewaren foto's korter.",
        text_en="Version two: we keep photos for a shorter time.",
        summary_nl="Foto's worden na 6 maanden verwijderd.",
        summary_en="Photos are deleted after 6 months.",
    )


def publish(client, day, *, confirm=True):
    data = {"effective_on": day.isoformat()}
    if confirm:
        data["confirm"] = "yes"
    return client.post("/staff/consent/statements/2/publish/", data)


def test_it_asks_for_confirmation_with_the_number_of_parents_e_mailed(
    cast, login, draft, django_capture_on_commit_callbacks
):
    service = login(cast.service)
    assert "concept" in service.get(LIST).text
    page = publish(service, EARLIEST, confirm=False)
    assert page.status_code == 200
    assert "5 ouders krijgen nu een e-mail." in page.text
    assert "2 december 2026" in page.text
    draft.refresh_from_db()
    assert draft.published_at is None and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = publish(service, EARLIEST)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at == PUBLISHED
    assert draft.effective_at == APPLIES
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{k}@example.org" for k in ("anna", "chris", "dewi", "bram", "fleur")
    )
    body = mail.outbox[0].body
    assert "2 december 2026" in body and "/consent/statement/next/" in body
    assert "Foto's worden na 6 maanden verwijderd." in body


def test_it_refuses_a_date_one_day_too_soon_with_the_reason(cast, login, draft):
    service = login(cast.service)
    response = publish(service, EARLIEST - datetime.timedelta(days=1))
    assert response.status_code == 302
    page = service.get(response["Location"]).text
    assert "minstens 30 dagen" in page and "2 december 2026" in page
    draft.refresh_from_db()
    assert draft.published_at is None and not mail.outbox


def test_it_refuses_a_missing_date_and_changes_nothing(cast, login, draft):
    service = login(cast.service)
    response = service.post("/staff/consent/statements/2/publish/", {"effective_on": "morgen"})
    page = service.get(response["Location"]).text
    assert "Kies de datum waarop de nieuwe versie ingaat." in page
    draft.refresh_from_db()
    assert draft.published_at is None


def test_it_keeps_the_current_version_in_force_until_the_effective_date(
    cast, client, login, draft, time_machine
):
    publish(login(cast.service), EARLIEST)
    anna = login(cast.anna)
    home = anna.get("/")
    assert home.status_code == 200  # nobody blocked
    assert "Onze privacyverklaring verandert op 2 december 2026." in home.text
    assert "Foto&#x27;s worden na 6 maanden verwijderd." in home.text
    assert 'href="/consent/statement/next/"' in home.text
    upcoming = anna.get("/consent/statement/next/").text
    assert "Versie twee: wij bewaren foto" in upcoming
    assert "Versie een" in anna.get("/consent/statement/").text

    time_machine.move_to(APPLIES - datetime.timedelta(seconds=1), tick=False)
    anna = login(cast.anna)
    assert anna.get("/").status_code == 200

    time_machine.move_to(APPLIES, tick=False)  # the first moment it applies
    anna = login(cast.anna)
    response = anna.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/consent/statement/")
    page = anna.get("/consent/statement/").text
    assert "Versie twee: wij bewaren foto" in page
    assert anna.post("/consent/statement/", {"version": 2}).status_code == 302
    assert anna.get("/").status_code == 200
    assert StatementAcceptance.objects.filter(user=cast.anna, statement=draft).exists()


def test_r3_holds_while_the_new_version_waits_for_acceptance(
    cast, client, login, draft, time_machine
):
    publish(login(cast.service), EARLIEST)
    time_machine.move_to(APPLIES + datetime.timedelta(days=3), tick=False)
    anna = login(cast.anna)
    assert anna.get("/").status_code == 302
    assert anna.get(f"/locations/{cast.loc1.code}/").status_code == 200
    assert anna.get("/newsletters/").status_code == 200
    assert anna.get("/absences/").status_code == 200
    assert anna.get("/messaging/").status_code == 200


def test_it_withdraws_a_scheduled_version_before_it_applies(
    cast, client, login, draft, time_machine
):
    service = login(cast.service)
    publish(service, EARLIEST)
    time_machine.move_to(APPLIES - datetime.timedelta(minutes=1), tick=False)
    service = login(cast.service)  # a new day, a new session
    response = service.post("/staff/consent/statements/2/withdraw/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.withdrawn_at is not None
    time_machine.move_to(APPLIES + datetime.timedelta(days=1), tick=False)
    anna = login(cast.anna)
    home = anna.get("/")
    assert home.status_code == 200
    assert "verandert op" not in home.text
    assert anna.get("/consent/statement/next/").status_code == 404


def test_it_refuses_to_withdraw_a_version_that_applies(cast, login, draft, time_machine):
    service = login(cast.service)
    publish(service, EARLIEST)
    time_machine.move_to(APPLIES, tick=False)
    service = login(cast.service)
    response = service.post("/staff/consent/statements/2/withdraw/")
    assert "kan niet meer worden ingetrokken" in service.get(response["Location"]).text
    draft.refresh_from_db()
    assert draft.withdrawn_at is None


def test_it_mails_the_announcement_in_english_to_an_english_account(
    cast, login, draft, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cast.bram.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        publish(login(cast.service), EARLIEST)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["bram@example.org"].subject == "[Ouderportaal] Our privacy statement has changed"
    assert "Photos are deleted after 6 months." in by_to["bram@example.org"].body
    assert "2 December 2026" in by_to["bram@example.org"].body
    assert "Foto's worden na 6 maanden" in by_to["anna@example.org"].body


def test_only_customer_service_reaches_the_versions_page(cast, login, draft):
    for person in (cast.anna, cast.sanne, cast.lotte):
        client = login(person)
        assert client.get(LIST).status_code == 404
        assert publish(client, EARLIEST).status_code == 404
    draft.refresh_from_db()
    assert draft.published_at is None
    assert login(cast.service).get(LIST).status_code == 200
