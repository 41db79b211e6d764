"""Staff side: a worker starts a conversation with a family; panels on the shared pages."""

import pytest

from messaging.models import Conversation, Message, Side

pytestmark = pytest.mark.django_db


def test_it_lets_a_worker_start_a_conversation_with_a_family(client, cast, login):
    login(cast.sanne)
    url = f"/staff/messaging/groups/{cast.group_a.code}/new/"
    page = client.get(url + f"?child={cast.mila.code}").content.decode()
    assert "Mila Bakker" in page and "Finn" not in page
    response = client.post(
        url, {"child": cast.mila.code, "subject": "Reservekleding", "body": "Graag een setje."}
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/staff/messaging/c/{conversation.code}/"
    assert conversation.messages.get().side == Side.STAFF
    assert conversation.awaiting_staff_reply is False
    login(cast.dewi)
    assert "Reservekleding" in client.get("/messaging/").content.decode()
    assert (
        client.post(f"/messaging/c/{conversation.code}/", {"body": "Komt goed"}).status_code == 302
    )
    assert Conversation.objects.get().awaiting_staff_reply is True
    login(cast.anna)
    assert client.get(f"/messaging/c/{conversation.code}/").status_code == 404


def test_it_lets_any_worker_of_the_group_answer(client, cast, login, ask):
    _response, conversation = ask(cast.dewi, cast.mila)
    login(cast.lotte)  # the location manager takes part too
    assert (
        client.post(
            f"/staff/messaging/c/{conversation.code}/", {"body": "Antwoord van Lotte"}
        ).status_code
        == 302
    )
    assert Message.objects.filter(author=cast.lotte, side=Side.STAFF).exists()


def test_it_shows_waiting_conversations_on_the_staff_home(client, cast, login, ask):
    ask(cast.anna, cast.daan)
    ask(cast.dewi, cast.mila, "Tweede")
    login(cast.sanne)
    home = client.get("/staff/").content.decode()
    assert (
        f'href="/staff/messaging/groups/{cast.group_a.code}/">Groep A: 2 wachten op antwoord'
        in home
    )
    index = client.get("/staff/messaging/").content.decode()
    assert "Groep A (Kindercentrum De Zonnebloem): 2 wachten op antwoord" in index
    login(cast.tom)
    assert "Groep A" not in client.get("/staff/messaging/").content.decode()


def test_it_links_each_child_card_to_a_new_message(client, cast, login):
    login(cast.anna)
    assert f'href="/messaging/new/?child={cast.daan.code}"' in client.get("/").content.decode()
    home = client.get(f"/children/{cast.daan.code}/").content.decode()
    assert f'href="/messaging/new/?child={cast.daan.code}">Bericht sturen' in home
    page = client.get(f"/messaging/new/?child={cast.eva.code}").content.decode()
    assert f'<option value="{cast.eva.code}" selected>Eva de Vries</option>' in page
    assert "Finn" not in page


def test_it_links_the_staff_child_page_to_a_message_for_the_family(client, cast, login):
    login(cast.sanne)
    page = client.get(f"/staff/children/{cast.daan.code}/").content.decode()
    assert f"/staff/messaging/groups/{cast.group_a.code}/new/?child={cast.daan.code}" in page
