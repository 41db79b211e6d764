"""Messages are never edited; a sender may retract within 5 minutes, leaving a marker (R12)."""

from datetime import timedelta

import pytest

from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db

SENT = "2026-11-25 10:00:00+01:00"


def sent_message(ask, cast, time_machine):
    time_machine.move_to(SENT, tick=False)
    _response, conversation = ask(cast.anna, cast.daan, "Vraag", "Geheime tekst")
    return conversation, conversation.messages.get()


def retract_url(conversation, message):
    return f"/messaging/c/{conversation.code}/m/{message.code}/retract/"


def test_it_retracts_at_exactly_five_minutes(client, cast, ask, login, time_machine):
    conversation, message = sent_message(ask, cast, time_machine)
    time_machine.shift(timedelta(minutes=5))
    response = client.post(retract_url(conversation, message), follow=True)
    assert "Het bericht is ingetrokken." in response.content.decode()
    message.refresh_from_db()
    assert message.retracted_at is not None and message.body == ""
    login(cast.sanne)
    page = client.get(f"/staff/messaging/c/{conversation.code}/").content.decode()
    assert "Dit bericht is ingetrokken." in page and "Geheime tekst" not in page
    conversation.refresh_from_db()
    assert conversation.awaiting_staff_reply is False


def test_it_refuses_to_retract_a_moment_after_five_minutes(client, cast, ask, time_machine):
    conversation, message = sent_message(ask, cast, time_machine)
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "Intrekken (binnen 5 minuten)" in page
    time_machine.shift(timedelta(minutes=5, microseconds=1))
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "Intrekken (binnen 5 minuten)" not in page
    response = client.post(retract_url(conversation, message), follow=True)
    assert (
        "Een bericht kan alleen binnen 5 minuten na versturen worden ingetrokken."
        in response.content.decode()
    )
    assert Message.objects.get(pk=message.pk).body == "Geheime tekst"


def test_it_refuses_to_retract_someone_elses_message(client, cast, ask, login, time_machine):
    conversation, message = sent_message(ask, cast, time_machine)
    login(cast.chris)  # a participant, but not the sender
    response = client.post(retract_url(conversation, message), follow=True)
    assert "U kunt alleen uw eigen berichten intrekken." in response.content.decode()
    assert Message.objects.get(pk=message.pk).retracted_at is None


def test_it_offers_no_way_to_edit_a_message(client, cast, ask, time_machine):
    conversation, _message = sent_message(ask, cast, time_machine)
    client.post(f"/messaging/c/{conversation.code}/", {"body": "Tweede bericht"})
    assert list(Message.objects.order_by("pk").values_list("body", flat=True)) == [
        "Geheime tekst",
        "Tweede bericht",
    ]


def test_it_keeps_the_inbox_order_right_after_a_staff_reply_is_retracted(
    client, cast, ask, login, time_machine
):
    conversation, _message = sent_message(ask, cast, time_machine)
    login(cast.sanne)
    client.post(f"/staff/messaging/c/{conversation.code}/", {"body": "Antwoord"})
    assert Conversation.objects.get(pk=conversation.pk).awaiting_staff_reply is False
    reply = Message.objects.get(body="Antwoord")
    client.post(f"/staff/messaging/c/{conversation.code}/m/{reply.code}/retract/")
    assert Conversation.objects.get(pk=conversation.pk).awaiting_staff_reply is True
