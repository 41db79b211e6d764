"""Each person's own language (R25): chosen on the profile page, used for pages at once and
after every login, and for every e-mail sent to them. A stranger gets Dutch; Dutch dates say
"4 dec"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from messaging.services import NOTIFY_DELAY, messaging_send_due_notifications

pytestmark = pytest.mark.django_db


def choose(client, language):
    return client.post("/account/language/", {"language": language})


def test_it_offers_the_language_on_the_profile_page_in_each_languages_own_name(client, cast, login):
    login(cast.anna)
    page = client.get("/account/details/")
    assert 'action="/account/language/"' in page.text
    assert '<span lang="en">English</span>' in page.text
    assert '<span lang="nl">Nederlands</span>' in page.text


def test_it_uses_the_chosen_language_at_once_in_the_session(client, cast, login, statement):
    login(cast.anna)
    response = choose(client, "en")
    assert response.status_code == 302
    assert User.objects.get(pk=cast.anna.pk).language == "en"
    page = client.get("/more/")  # Meer holds "Log out" since Vandaag (issue 17)
    assert '<html lang="en">' in page.text and "Log out" in page.text


def test_it_uses_the_accounts_language_after_the_next_login_on_another_device(cast, statement):
    User.objects.filter(pk=cast.anna.pk).update(language="en")
    fresh = Client()  # no cookie: a new phone
    assert '<html lang="nl">' in fresh.get("/accounts/login/").text  # a stranger: Dutch
    fresh.post("/accounts/login/", {"login": "anna@example.org", "password": "portal-demo"})
    page = fresh.get("/more/")
    assert '<html lang="en">' in page.text and "Log out" in page.text
    fresh.post("/accounts/logout/")
    other = Client()
    other.post("/accounts/login/", {"login": "dewi@example.org", "password": "portal-demo"})
    assert '<html lang="nl">' in other.get("/").text


def test_it_stores_the_header_switch_on_the_account_of_a_logged_in_person(
    client, cast, login, statement
):
    login(cast.anna)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=cast.anna.pk).language == "en"
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert User.objects.get(pk=cast.anna.pk).language == "nl"


def test_it_refuses_an_unknown_language_and_changes_nothing(client, cast, login, statement):
    login(cast.anna)
    response = choose(client, "xx")
    assert response.status_code == 302
    assert User.objects.get(pk=cast.anna.pk).language == "nl"
    page = client.get("/account/details/")
    assert "Kies een van de aangeboden talen." in page.text


def test_it_sends_the_password_reset_e_mail_in_the_accounts_language(client, cast):
    User.objects.filter(pk=cast.anna.pk).update(language="en")
    client.post("/accounts/password/reset/", {"email": "anna@example.org"})  # a Dutch page
    (message,) = mail.outbox
    assert "password" in message.body.lower()
    assert "wachtwoord" not in message.body.lower()


def test_it_renders_e_mails_in_english_for_an_english_account(
    client, cast, login, statement, time_machine
):
    from messaging.models import Conversation

    User.objects.filter(pk=cast.chris.pk).update(language="en")
    time_machine.move_to(statement.published_at + timedelta(days=1), tick=False)
    login(cast.anna)
    client.post("/messaging/new/", {"child": cast.daan.code, "subject": "Vraag", "body": "Hallo"})
    assert Conversation.objects.filter(child=cast.daan).exists()
    time_machine.shift(NOTIFY_DELAY + timedelta(seconds=1))
    messaging_send_due_notifications()
    by_to = {message.to[0]: message for message in mail.outbox}
    english = by_to["chris@example.org"]
    assert english.subject == "[Ouderportaal] New message in Ouderportaal"
    assert "There is 1 new message for you in Ouderportaal." in english.body
    dutch = by_to["sanne@example.org"]
    assert dutch.subject == "[Ouderportaal] Nieuw bericht in Ouderportaal"


def test_it_writes_dutch_months_in_lower_case_and_english_ones_capitalised(
    client, cast, login, statement, time_machine
):
    time_machine.move_to("2026-12-04 10:00:00+01:00", tick=False)
    login(cast.anna)
    client.post("/messaging/new/", {"child": cast.daan.code, "subject": "Vraag", "body": "Hallo"})
    assert "4 dec 10:00" in client.get("/messaging/").text
    choose(client, "en")
    assert "4 Dec 10:00" in client.get("/messaging/").text
