"""The issue's "done when": anna asks group A about Daan; sanne and chris see it (badge); sanne
answers; anna sees it read and answered; tom and bram cannot reach it in any way."""

import re

import pytest

from messaging.models import Message

pytestmark = pytest.mark.django_db


def badge(html: str) -> int:
    """The unread badge on "Berichten": the staff navigation or the parent's tab bar."""
    match = re.search(
        r'href="/(?:staff/)?messaging/"[^>]*>Berichten <span class="badge"[^>]*>(\d+)<', html
    ) or re.search(
        r'href="/messaging/"[^>]*>(?:<svg[^>]*>.*?</svg>)?<span>Berichten</span>'
        r'<span class="tab-badge"><span aria-hidden="true">(\d+)<',
        html,
    )
    return int(match.group(1)) if match else 0


def test_it_carries_annas_question_to_group_a_and_back(client, cast, login, ask):
    response, conversation = ask(cast.anna, cast.daan, "Slaapzak", "Heeft Daan zijn slaapzak nog?")
    assert response.status_code == 302
    assert response["Location"] == f"/messaging/c/{conversation.code}/"

    # sanne (group A) and chris (Daan's other guardian) see a badge
    login(cast.sanne)
    home = client.get("/staff/").content.decode()
    assert badge(home) == 1
    inbox = client.get(f"/staff/messaging/groups/{cast.group_a.code}/").content.decode()
    assert "Slaapzak" in inbox and "Wacht op antwoord" in inbox
    login(cast.chris)
    assert badge(client.get("/").content.decode()) == 1
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "Heeft Daan zijn slaapzak nog?" in page
    assert badge(client.get("/").content.decode()) == 0

    # anna's message is not yet read by the staff
    login(cast.anna)
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "Gelezen door de medewerkers" not in page

    # sanne opens it (read) and answers
    login(cast.sanne)
    url = f"/staff/messaging/c/{conversation.code}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Ja, die ligt in zijn bakje."})
    assert response.status_code == 302
    assert badge(client.get("/staff/").content.decode()) == 0

    # anna sees it read and answered, with a badge for the answer
    login(cast.anna)
    assert badge(client.get("/").content.decode()) == 1
    listing = client.get("/messaging/").content.decode()
    assert "Beantwoord" in listing
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "Gelezen door de medewerkers" in page
    assert "Ja, die ligt in zijn bakje." in page
    assert badge(client.get("/").content.decode()) == 0

    # tom (group B) and bram (another family) cannot reach it in any way
    message = Message.objects.filter(conversation=conversation).first()
    for stranger in (cast.tom, cast.bram):
        login(stranger)
        for path in (
            f"/messaging/c/{conversation.code}/",
            f"/staff/messaging/c/{conversation.code}/",
            f"/staff/messaging/groups/{cast.group_a.code}/",
            f"/staff/messaging/groups/{cast.group_a.code}/new/",
        ):
            assert client.get(path).status_code == 404, (stranger, path)
        for path in (
            f"/messaging/c/{conversation.code}/",
            f"/staff/messaging/c/{conversation.code}/",
            f"/messaging/c/{conversation.code}/m/{message.code}/retract/",
        ):
            assert client.post(path, {"body": "ingebroken"}).status_code == 404
        assert "Slaapzak" not in client.get("/messaging/").content.decode()
        assert badge(client.get("/").content.decode()) == 0
    assert not Message.objects.filter(body="ingebroken").exists()
    assert Message.objects.get(pk=message.pk).retracted_at is None
