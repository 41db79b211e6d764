"""IDOR (issue 9): every object type, addressed with another family's or another group's code,
is 404 and unchanged, for reads (the access matrix covers every GET) and for writes here."""

import pytest
from django.urls import reverse

from absences.models import Absence
from diary.models import DiaryEntry
from messaging.models import Message
from photos.models import Photo
from tests.security.world import build_world


@pytest.fixture
def world(cast, decide, django_capture_on_commit_callbacks):
    return build_world(cast, decide, django_capture_on_commit_callbacks)


# (url name, kwargs from the world) of bram's / Finn's objects, read as anna.
OTHER_FAMILY_READS = [
    ("child", lambda w: {"code": w.finn.code}),
    ("today:child", lambda w: {"code": w.finn.code}),
    ("today:days", lambda w: {"code": w.finn.code}),
    ("diary:timeline", lambda w: {"child_code": w.finn.code}),
    ("diary:print", lambda w: {"child_code": w.finn.code}),
    ("diary:note_edit", lambda w: {"code": w.finn_note.code}),
    ("photos:gallery", lambda w: {"child_code": w.finn.code}),
    ("photos:file", lambda w: {"code": w.finn_photo.code, "size": "thumb"}),
    ("photos:file", lambda w: {"code": w.finn_photo.code, "size": "original"}),
    ("absences:report", lambda w: {"code": w.finn.code}),
    ("messaging:conversation", lambda w: {"code": w.finn_conversation.code}),
    ("messaging:attachment", lambda w: {"code": w.finn_attachment.code}),
    ("newsletters:detail", lambda w: {"code": w.loc2_news.code}),
    ("newsletters:image", lambda w: {"code": w.loc2_news.code}),
    (
        "newsletters:attachment",
        lambda w: {"code": w.loc2_news.code, "attachment_code": w.loc2_news_attachment.code},
    ),
    # A real attachment code of Finn's news under anna's own news item.
    (
        "newsletters:attachment",
        lambda w: {"code": w.news.code, "attachment_code": w.loc2_news_attachment.code},
    ),
    ("consent:change", lambda w: {"child_code": w.finn.code, "purpose": "photos"}),
    ("retention:download", lambda w: {"code": w.finn_export.code}),
    ("audit:child", lambda w: {"child_code": w.finn.code}),
]


@pytest.mark.parametrize(("name", "kwargs"), OTHER_FAMILY_READS)
def test_it_hides_other_families_objects_from_anna(client, login, world, name, kwargs):
    login(world.anna)
    assert client.get(reverse(name, kwargs=kwargs(world))).status_code == 404


# Group B objects, read by sanne (group A).
OTHER_GROUP_READS = [
    ("staff:group", lambda w: {"code": w.group_b.code}),
    ("staff:child", lambda w: {"code": w.finn.code}),
    ("diary_staff:child", lambda w: {"child_code": w.finn.code}),
    ("diary_staff:entry_edit", lambda w: {"code": w.finn_entry.code}),
    ("photos_staff:tag", lambda w: {"group_code": w.group_b.code}),
    ("photos_staff:file", lambda w: {"code": w.finn_photo.code, "size": "display"}),
    ("absences_staff:register", lambda w: {"code": w.finn.code}),
    ("messaging_staff:inbox", lambda w: {"code": w.group_b.code}),
    ("messaging_staff:conversation", lambda w: {"code": w.finn_conversation.code}),
    ("messaging_staff:attachment", lambda w: {"code": w.finn_attachment.code}),
    ("consent_staff:group", lambda w: {"code": w.group_b.code}),
]


@pytest.mark.parametrize(("name", "kwargs"), OTHER_GROUP_READS)
def test_it_hides_other_groups_objects_from_sanne(client, login, world, name, kwargs):
    login(world.sanne)
    assert client.get(reverse(name, kwargs=kwargs(world))).status_code == 404


def test_it_refuses_anna_withdrawing_bram_s_absence(client, login, world):
    login(world.anna)
    response = client.post(reverse("absences:withdraw", kwargs={"code": world.finn_absence.code}))
    assert response.status_code == 404
    assert Absence.objects.get(pk=world.finn_absence.pk).withdrawn_at is None


def test_it_refuses_anna_editing_or_removing_bram_s_diary_note(client, login, world):
    login(world.anna)
    code = world.finn_note.code
    assert client.post(f"/diary/notes/{code}/edit/", {"text": "Gehackt"}).status_code == 404
    assert client.post(f"/diary/notes/{code}/remove/").status_code == 404
    assert DiaryEntry.objects.get(pk=world.finn_note.pk).text == "Finn is moe."


def test_it_refuses_chris_editing_anna_s_note_on_their_shared_child(client, login, world):
    login(world.chris)
    client.post(f"/diary/notes/{world.note.code}/edit/", {"text": "Overschreven"})
    client.post(f"/diary/notes/{world.note.code}/remove/")
    entry = DiaryEntry.objects.filter(pk=world.note.pk).first()
    assert entry is not None and entry.text == "Daan sliep slecht."


def test_it_refuses_retracting_someone_else_s_message(client, login, world):
    login(world.anna)
    url = f"/messaging/c/{world.finn_conversation.code}/m/{world.finn_message.code}/retract/"
    assert client.post(url).status_code == 404
    # A message code of another conversation under anna's own conversation.
    url = f"/messaging/c/{world.conversation.code}/m/{world.finn_message.code}/retract/"
    assert client.post(url).status_code == 404
    assert Message.objects.get(pk=world.finn_message.pk).retracted_at is None


def test_it_refuses_replying_in_another_family_s_conversation(client, login, world):
    login(world.anna)
    url = f"/messaging/c/{world.finn_conversation.code}/"
    assert client.post(url, {"body": "Hallo Tom"}).status_code == 404
    assert world.finn_conversation.messages.count() == 1


def test_it_refuses_tom_deleting_a_group_a_photo(client, login, world):
    login(world.tom)
    url = f"/staff/photos/group/{world.group_b.code}/{world.photo.code}/delete/"
    assert client.post(url).status_code == 404
    url = f"/staff/photos/group/{world.group_a.code}/{world.photo.code}/delete/"
    assert client.post(url).status_code == 404
    assert Photo.objects.filter(pk=world.photo.pk).exists()


def test_it_refuses_sanne_deleting_a_photo_through_her_own_group_url(client, login, world):
    login(world.sanne)
    url = f"/staff/photos/group/{world.group_a.code}/{world.finn_photo.code}/delete/"
    assert client.post(url).status_code == 404
    assert Photo.objects.filter(pk=world.finn_photo.pk).exists()


def test_it_refuses_tom_removing_or_editing_a_group_a_diary_entry(client, login, world):
    login(world.tom)
    assert client.post(f"/staff/diary/entries/{world.entry.code}/remove/").status_code == 404
    assert client.post(f"/staff/diary/entries/{world.entry.code}/edit/", {}).status_code == 404
    assert client.post(f"/staff/diary/entries/{world.note.code}/read/").status_code == 404
    assert DiaryEntry.objects.get(pk=world.entry.pk).text == "Daan heeft gespeeld."
    assert DiaryEntry.objects.get(pk=world.note.pk).read_at is None


def test_it_refuses_a_manager_editing_another_location(client, login, world):
    """lotte manages location 1; location 2 is not hers."""
    login(world.lotte)
    url = f"/staff/locations/{world.loc2.code}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Overgenomen"}).status_code == 404
    url = f"/staff/newsletters/{world.loc2_news.code}/edit/"
    assert client.post(url, {"title": "Overgenomen"}).status_code == 404
    world.loc2.refresh_from_db()
    world.loc2_news.refresh_from_db()
    assert world.loc2.name == "Kindercentrum Het Vogelnest"
    assert world.loc2_news.title == "Moestuin"


def test_it_refuses_a_closure_code_of_another_location(client, login, world):
    """lotte, through her own location's URL, with a closure of location 2."""
    closure_model = type(world.closure)
    other = closure_model.objects.create(
        location=world.loc2,
        start_date=world.closure.start_date,
        end_date=world.closure.end_date,
        reason="Studiedag Vogelnest",
    )
    login(world.lotte)
    url = f"/staff/locations/{world.loc1.code}/closures/{other.code}/delete/"
    assert client.post(url).status_code == 404
    url = f"/staff/locations/{world.loc2.code}/closures/{other.code}/delete/"
    assert client.post(url).status_code == 404
    assert closure_model.objects.filter(pk=other.pk).exists()
