"""New messages are announced by e-mail: Dutch, a link, no message text; several messages
within minutes make one e-mail; each person can turn it off (R12)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from messaging.services import NOTIFY_DELAY, messaging_send_due_notifications
from messaging.tasks import send_due_notifications_task

pytestmark = pytest.mark.django_db

START = "2026-11-25 10:00:00+01:00"


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_it_sends_one_email_per_person_for_several_messages(client, cast, ask, time_machine):
    time_machine.move_to(START, tick=False)
    _response, conversation = ask(cast.anna, cast.daan, "Vraag over Daan", "Geheim 1")
    time_machine.shift(timedelta(minutes=2))
    client.post(f"/messaging/c/{conversation.code}/", {"body": "Geheim 2"})
    time_machine.shift(timedelta(minutes=2))
    client.post(f"/messaging/c/{conversation.code}/", {"body": "Geheim 3"})
    assert send_due_notifications_task.delay() is not None
    assert mail.outbox == []  # not due yet: more messages may follow

    time_machine.move_to(START, tick=False)
    time_machine.shift(NOTIFY_DELAY)
    assert messaging_send_due_notifications() == 3
    # chris (guardian), sanne (group A) and lotte (location manager); not anna, not tom/bram
    assert recipients() == ["chris@example.org", "lotte@example.org", "sanne@example.org"]
    for message in mail.outbox:
        assert message.subject == "[Ouderportaal] Nieuw bericht in Ouderportaal"
        assert "Geheim" not in message.body and "Daan" not in message.body
        assert "Vraag over Daan" not in message.body + message.subject
    by_to = {message.to[0]: message.body for message in mail.outbox}
    assert "Er staan 3 nieuwe berichten voor u klaar" in by_to["chris@example.org"]
    assert f"{settings.SITE_URL}/messaging/\n" in by_to["chris@example.org"]
    assert f"{settings.SITE_URL}/staff/messaging/\n" in by_to["sanne@example.org"]

    mail.outbox.clear()
    time_machine.shift(timedelta(minutes=10))
    assert messaging_send_due_notifications() == 0


def test_it_sends_nothing_to_someone_who_already_read_it(client, cast, ask, login, time_machine):
    time_machine.move_to(START, tick=False)
    _response, conversation = ask(cast.anna, cast.daan)
    login(cast.chris)
    client.get(f"/messaging/c/{conversation.code}/")
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert "chris@example.org" not in recipients()


def test_it_lets_a_person_turn_the_emails_off(client, cast, ask, login, time_machine):
    login(cast.chris)
    page = client.get("/messaging/settings/").content.decode()
    assert "Stuur mij een e-mail als er een nieuw bericht is" in page
    response = client.post("/messaging/settings/", {}, follow=True)
    assert "Uw instellingen zijn opgeslagen." in response.content.decode()
    login(cast.sanne)
    client.post("/messaging/settings/", {})

    time_machine.move_to(START, tick=False)
    ask(cast.anna, cast.daan)
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert recipients() == ["lotte@example.org"]


def test_it_starts_a_new_email_after_the_previous_one_was_sent(client, cast, ask, time_machine):
    time_machine.move_to(START, tick=False)
    _response, conversation = ask(cast.anna, cast.daan)
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert recipients().count("sanne@example.org") == 1
    time_machine.shift(timedelta(minutes=1))
    client.post(f"/messaging/c/{conversation.code}/", {"body": "Nog een vraag"})
    time_machine.shift(NOTIFY_DELAY - timedelta(seconds=1))
    messaging_send_due_notifications()
    assert recipients().count("sanne@example.org") == 1
    time_machine.shift(timedelta(seconds=1))
    messaging_send_due_notifications()
    assert recipients().count("sanne@example.org") == 2


def test_it_is_scheduled_every_minute():
    from portal.celery import app

    entry = app.conf.beat_schedule["messaging-send-due-notifications"]
    assert entry["task"] == send_due_notifications_task.name


def test_it_tells_the_family_not_the_colleagues_about_a_staff_answer(
    client, cast, ask, login, time_machine
):
    time_machine.move_to(START, tick=False)
    _response, conversation = ask(cast.anna, cast.daan)
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    mail.outbox.clear()
    login(cast.sanne)
    client.post(f"/staff/messaging/c/{conversation.code}/", {"body": "Antwoord"})
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert recipients() == ["anna@example.org", "chris@example.org"]


def test_it_notifies_only_the_participants(client, cast, ask, login, time_machine):
    """Customer service and the superuser take no part (R12): no e-mail for them, and a worker
    who left the group before the e-mail was due gets none either."""
    from daycare.models import StaffAssignment
    from messaging.models import PendingNotification

    time_machine.move_to(START, tick=False)
    _response, conversation = ask(cast.anna, cast.daan)
    queued = set(PendingNotification.objects.values_list("user__email", flat=True))
    assert queued == {"chris@example.org", "lotte@example.org", "sanne@example.org"}
    StaffAssignment.objects.filter(user=cast.sanne).update(group=cast.group_b)
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert recipients() == ["chris@example.org", "lotte@example.org"]

    mail.outbox.clear()
    login(cast.lotte)
    client.post(f"/staff/messaging/c/{conversation.code}/", {"body": "Antwoord"})
    time_machine.shift(NOTIFY_DELAY)
    messaging_send_due_notifications()
    assert recipients() == ["anna@example.org", "chris@example.org"]
