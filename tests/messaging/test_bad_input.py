"""Bad input is refused with a clear message and changes nothing (R12)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging import services
from messaging.models import Attachment, Conversation, Message
from tests.messaging.conftest import PDF, jpeg_with_exif

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_it_refuses_an_empty_message(client, cast, ask, body):
    response, conversation = ask(cast.anna, cast.daan, "Leeg", body)
    assert response.status_code == 200
    assert "Schrijf eerst een bericht voordat u het verstuurt." in response.content.decode()
    assert conversation is None and not Message.objects.exists()


def test_it_refuses_an_empty_reply(client, cast, ask):
    _response, conversation = ask(cast.anna, cast.daan)
    response = client.post(f"/messaging/c/{conversation.code}/", {"body": "  "})
    assert "Schrijf eerst een bericht voordat u het verstuurt." in response.content.decode()
    assert Message.objects.count() == 1


def test_it_refuses_a_message_that_is_too_long(client, cast, ask):
    response, conversation = ask(cast.anna, cast.daan, "Lang", "x" * (services.MAX_BODY + 1))
    assert response.status_code == 200 and conversation is None


def test_it_answers_404_to_a_reply_in_a_conversation_that_is_not_yours(client, cast, ask, login):
    _response, conversation = ask(cast.bram, cast.finn)
    login(cast.anna)
    response = client.post(f"/messaging/c/{conversation.code}/", {"body": "ingebroken"})
    assert response.status_code == 404
    assert not Message.objects.filter(body="ingebroken").exists()


def test_it_refuses_to_start_about_a_child_that_is_not_yours(client, cast, ask):
    response, conversation = ask(cast.anna, cast.finn, "Finn", "over andermans kind")
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert conversation is None and not Conversation.objects.exists()


def test_it_refuses_a_worker_starting_about_another_groups_child(client, cast, login):
    login(cast.sanne)
    response = client.post(
        f"/staff/messaging/groups/{cast.group_a.code}/new/",
        {"child": cast.finn.code, "subject": "x", "body": "y"},
    )
    assert response.status_code == 200
    assert not Conversation.objects.exists()


def test_it_shows_html_and_script_as_text(client, cast, ask, login):
    hostile = '<script>alert("x")</script><b>vet</b> <a href="javascript:evil()">klik</a>'
    _response, conversation = ask(cast.anna, cast.daan, "<i>Onderwerp</i>", hostile)
    for user, url in (
        (cast.anna, f"/messaging/c/{conversation.code}/"),
        (cast.sanne, f"/staff/messaging/c/{conversation.code}/"),
        (cast.sanne, f"/staff/messaging/groups/{cast.group_a.code}/"),
    ):
        login(user)
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<b>vet</b>" not in page
        assert "<i>Onderwerp</i>" not in page and "&lt;i&gt;Onderwerp&lt;/i&gt;" in page
        assert 'href="javascript:' not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        in client.get(f"/staff/messaging/c/{conversation.code}/").content.decode()
    )


def test_it_makes_links_clickable_without_giving_away_the_page(client, cast, ask):
    _response, conversation = ask(
        cast.anna, cast.daan, "Link", "Zie https://example.org/menu\nDank"
    )
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert '<a href="https://example.org/menu" rel="nofollow noopener noreferrer">' in page
    assert "<br>Dank" in page


def test_it_refuses_an_attachment_that_lies_about_its_type(client, cast, ask):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image at all", "image/jpeg")
    response, conversation = ask(cast.anna, cast.daan, "Nep", "Zie bijlage", files=[fake])
    assert response.status_code == 200
    assert "foto.jpg is geen foto of pdf die we kunnen lezen" in response.content.decode()
    assert conversation is None and not Attachment.objects.exists()


def test_it_refuses_a_pdf_that_is_not_a_pdf(client, cast, ask):
    fake = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 but truncated", "application/pdf")
    response, conversation = ask(cast.anna, cast.daan, "Nep", "Zie bijlage", files=[fake])
    assert "brief.pdf: Dit bestand is geen pdf-document." in response.content.decode()
    assert conversation is None


def test_it_refuses_an_oversized_attachment(client, cast, ask):
    big = SimpleUploadedFile(
        "groot.pdf", PDF + b"0" * services.MAX_ATTACHMENT_BYTES + b"\n%%EOF\n", "application/pdf"
    )
    response, conversation = ask(cast.anna, cast.daan, "Groot", "Zie bijlage", files=[big])
    assert response.status_code == 200
    assert "groot.pdf: Het bestand is groter dan 10 MB." in response.content.decode()
    assert conversation is None and not Attachment.objects.exists()


def test_it_refuses_too_many_attachments(client, cast, ask):
    files = [
        SimpleUploadedFile(f"f{i}.jpg", jpeg_with_exif(), "image/jpeg")
        for i in range(services.MAX_ATTACHMENTS + 1)
    ]
    response, conversation = ask(cast.anna, cast.daan, "Veel", "Bijlagen", files=files)
    assert "Voeg maximaal 5 bestanden toe aan één bericht." in response.content.decode()
    assert conversation is None


def test_it_rate_limits_a_flood_of_sends(client, cast, ask):
    _response, conversation = ask(cast.anna, cast.daan, "Vloed", "1")
    url = f"/messaging/c/{conversation.code}/"
    for i in range(2, services.RATE_LIMIT + 1):
        assert client.post(url, {"body": str(i)}).status_code == 302
    response = client.post(url, {"body": "te veel"})
    assert response.status_code == 200
    assert (
        "U hebt in korte tijd veel berichten verstuurd. Wacht 10 minuten en probeer het opnieuw."
        in response.content.decode()
    )
    assert Message.objects.count() == services.RATE_LIMIT
    assert not Message.objects.filter(body="te veel").exists()


def test_it_rate_limits_per_person(client, cast, ask, login):
    _response, conversation = ask(cast.anna, cast.daan, "Vloed", "1")
    url = f"/messaging/c/{conversation.code}/"
    for i in range(2, services.RATE_LIMIT + 2):
        client.post(url, {"body": str(i)})
    login(cast.chris)
    assert client.post(url, {"body": "van chris"}).status_code == 302


def test_it_lets_sending_resume_after_the_window(client, cast, ask, time_machine):
    time_machine.move_to("2026-11-25 10:00:00+01:00", tick=False)  # a window starts at 10:00
    _response, conversation = ask(cast.anna, cast.daan, "Vloed", "1")
    url = f"/messaging/c/{conversation.code}/"
    for i in range(2, services.RATE_LIMIT + 2):
        client.post(url, {"body": str(i)})
    assert not Message.objects.filter(body=str(services.RATE_LIMIT + 1)).exists()
    time_machine.shift(services.RATE_WINDOW_SECONDS + 1)
    assert client.post(url, {"body": "later"}).status_code == 302


def test_it_refuses_a_subject_of_only_spaces(client, cast, ask):
    response, _conversation = ask(cast.anna, cast.daan, "   ", "tekst")
    assert response.status_code == 200 and not Conversation.objects.exists()


def test_it_accepts_a_real_pdf(client, cast, ask):
    pdf = SimpleUploadedFile("brief.pdf", PDF, "application/pdf")
    response, _conversation = ask(cast.anna, cast.daan, "Brief", "Zie bijlage", files=[pdf])
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "application/pdf"
