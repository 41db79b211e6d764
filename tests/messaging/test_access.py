"""Only the participants reach a conversation, its messages and attachments (R12): 404 for
another family, a worker of another group, customer service, and when the child's data is
archived. The participants: the child's guardians, the workers of its group, the location's
manager."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from daycare.models import Child
from messaging.models import Attachment, Message, ReadMark
from tests.messaging.conftest import jpeg_with_exif

pytestmark = pytest.mark.django_db


@pytest.fixture
def daan_thread(ask, cast):
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response, conversation = ask(cast.anna, cast.daan, "Vraag", "Hallo", files=[photo])
    assert response.status_code == 302
    return conversation


def paths(conversation):
    attachment = Attachment.objects.get(message__conversation=conversation)
    return {
        "parent": [
            f"/messaging/c/{conversation.code}/",
            f"/messaging/attachments/{attachment.code}/",
        ],
        "staff": [
            f"/staff/messaging/c/{conversation.code}/",
            f"/staff/messaging/attachments/{attachment.code}/",
        ],
    }


def test_it_lets_the_participants_in(client, cast, login, daan_thread):
    urls = paths(daan_thread)
    for parent in (cast.anna, cast.chris):
        login(parent)
        for url in urls["parent"]:
            assert client.get(url).status_code == 200, (parent, url)
    for worker in (cast.sanne, cast.lotte):
        login(worker)
        for url in urls["staff"]:
            assert client.get(url).status_code == 200, (worker, url)


def test_it_answers_404_to_another_family(client, cast, login, daan_thread):
    urls = paths(daan_thread)
    for parent in (cast.bram, cast.dewi):
        login(parent)
        for url in urls["parent"] + urls["staff"]:
            assert client.get(url).status_code == 404, (parent, url)


def test_it_answers_404_to_a_worker_of_another_group(client, cast, login, daan_thread):
    urls = paths(daan_thread)
    login(cast.tom)
    for url in urls["parent"] + urls["staff"]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/staff/messaging/groups/{cast.group_a.code}/").status_code == 404


def test_it_keeps_staff_out_of_the_parent_pages(client, cast, login, daan_thread):
    """Parent pages reach only one's own children, so staff cannot skip two-factor there."""
    login(cast.sanne, two_factor=False)
    for url in paths(daan_thread)["parent"]:
        assert client.get(url).status_code == 404


def test_it_answers_404_when_the_childs_data_is_archived(client, cast, login, daan_thread):
    urls = paths(daan_thread)
    Child.objects.filter(pk=cast.daan.pk).update(archived_at=timezone.now())
    for user, kind in ((cast.anna, "parent"), (cast.sanne, "staff"), (cast.service, "staff")):
        login(user)
        for url in urls[kind]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[kind][0], {"body": "nog iets"}).status_code == 404
    assert Message.objects.filter(conversation=daan_thread).count() == 1


def test_it_answers_404_for_codes_that_do_not_exist(client, cast, login):
    login(cast.anna)
    assert client.get("/messaging/c/AAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/messaging/attachments/AAAAAAAAAAAAAAAA/").status_code == 404


def test_it_answers_404_to_customer_service(client, cast, login, daan_thread):
    """Customer service sees every child on other staff pages, but takes no part in messages:
    it reaches them only through the retention archive and export."""
    urls = paths(daan_thread)
    for user in (cast.service, cast.admin):
        login(user)
        for url in urls["parent"] + urls["staff"]:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(urls["staff"][0], {"body": "namens de klantenservice"})
        assert response.status_code == 404, user
        for group in (cast.group_a, cast.group_b):
            assert client.get(f"/staff/messaging/groups/{group.code}/").status_code == 404
            assert client.get(f"/staff/messaging/groups/{group.code}/new/").status_code == 404
    assert Message.objects.filter(conversation=daan_thread).count() == 1
    assert not ReadMark.objects.filter(user__in=[cast.service, cast.admin]).exists()


def test_it_lists_no_conversation_for_customer_service(client, cast, login, daan_thread):
    login(cast.service)
    index = client.get("/staff/messaging/").content.decode()
    assert "U bent aan geen groep gekoppeld." in index
    assert "Groep A" not in index and "Groep B" not in index
    assert "/staff/messaging/groups/" not in index
    home = client.get("/staff/").content.decode()
    assert "/staff/messaging/groups/" not in home and "wachten op antwoord" not in home
    child_page = client.get(f"/staff/children/{cast.daan.code}/").content.decode()
    assert f"/staff/messaging/groups/{cast.group_a.code}/new/" not in child_page
    assert "Vraag" not in client.get("/messaging/").content.decode()
    for page in (index, home, child_page):
        assert 'class="badge"' not in page
        assert daan_thread.code not in page and "Vraag" not in page


def test_it_answers_404_to_parents_on_staff_pages(client, cast, login, daan_thread):
    login(cast.anna)
    assert client.get("/staff/messaging/").status_code == 404
    assert client.get(f"/staff/messaging/c/{daan_thread.code}/").status_code == 404


def test_it_moves_open_conversations_with_the_child(client, cast, login, daan_thread):
    """The group of a conversation is the child's current group."""
    Child.objects.filter(pk=cast.daan.pk).update(group=cast.group_b)
    login(cast.sanne)
    assert client.get(f"/staff/messaging/c/{daan_thread.code}/").status_code == 404
    assert (
        "Vraag" not in client.get(f"/staff/messaging/groups/{cast.group_a.code}/").content.decode()
    )
    login(cast.tom)
    assert "Vraag" in client.get(f"/staff/messaging/groups/{cast.group_b.code}/").content.decode()
    response = client.post(f"/staff/messaging/c/{daan_thread.code}/", {"body": "Welkom in B"})
    assert response.status_code == 302
