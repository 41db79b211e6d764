"""Mass assignment (issue 9): extra fields (``is_staff``, another child's code, an author) posted
to forms change nothing beyond what the form offers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from absences.models import Absence
from accounts.models import User
from diary.models import DiaryEntry
from messaging.models import Conversation
from photos.models import PhotoTag
from tests.security.world import build_world


@pytest.fixture
def world(cast, decide, django_capture_on_commit_callbacks):
    return build_world(cast, decide, django_capture_on_commit_callbacks)


def next_monday(weeks=2):
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) + 7 * (weeks - 1))


def test_it_ignores_privilege_fields_on_the_contact_details_form(client, login, cast):
    login(cast.anna)
    response = client.post(
        "/account/details/",
        {
            "first_name": "Anna",
            "last_name": "de Vries",
            "phone": "06 12345678",
            "is_staff": "1",
            "is_superuser": "1",
            "is_active": "0",
            "email": "aanvaller@example.org",
            "password": "md5$x$y",
            "id": cast.bram.pk,
            "groups": "1",
        },
    )
    assert response.status_code == 302
    anna = User.objects.get(pk=cast.anna.pk)
    assert (anna.is_staff, anna.is_superuser, anna.is_active) == (False, False, True)
    assert anna.email == "anna@example.org"
    assert anna.check_password("portal-demo")
    assert anna.phone == "06 12345678"
    bram = User.objects.get(pk=cast.bram.pk)
    assert (bram.first_name, bram.phone) == ("Bram", cast.bram.phone)


def test_it_keeps_an_absence_on_the_child_of_the_url(client, login, world):
    login(world.anna)
    start = next_monday()
    before = Absence.objects.filter(child=world.finn).count()
    response = client.post(
        f"/absences/children/{world.daan.code}/new/",
        {
            "start_date": start.isoformat(),
            "reason": "sick",
            "note": "Koorts",
            "child": world.finn.code,
            "child_id": world.finn.pk,
            "reported_by": world.bram.pk,
            "channel": "phone",
            "withdrawn_at": "2020-01-01",
        },
    )
    assert response.status_code == 302
    made = Absence.objects.get(child=world.daan, start_date=start)
    assert made.reported_by == world.anna and made.channel == Absence.Channel.PORTAL
    assert made.withdrawn_at is None
    assert Absence.objects.filter(child=world.finn).count() == before


def test_it_refuses_a_conversation_about_another_family_s_child(client, login, world):
    login(world.anna)
    response = client.post(
        "/messaging/new/", {"child": world.finn.code, "subject": "Hoi", "body": "Hallo"}
    )
    assert response.status_code in (200, 400)
    assert "child" in response.context["form"].errors
    assert not Conversation.objects.filter(subject="Hoi").exists()


def test_it_stores_a_parent_note_as_anna_s_note_on_daan(client, login, world):
    login(world.anna)
    response = client.post(
        f"/diary/{world.daan.code}/note/",
        {
            "text": "Mijn notitie",
            "kind": "staff",
            "author": world.sanne.pk,
            "child_code": world.finn.code,
            "day": world.finn_entry.day_id,
        },
    )
    assert response.status_code == 302
    note = DiaryEntry.objects.get(text="Mijn notitie")
    assert note.kind == DiaryEntry.Kind.PARENT
    assert note.author == world.anna and note.day.child == world.daan


def test_it_refuses_a_group_b_child_in_sanne_s_shared_note(client, login, world):
    login(world.sanne)
    response = client.post(
        f"/staff/diary/groups/{world.group_a.code}/note/",
        {
            "date": timezone.localdate().isoformat(),
            "children": [world.daan.code, world.finn.code],
            "text": "Uitje naar het park",
            "action": "save",
        },
    )
    assert response.status_code == 404
    assert not DiaryEntry.objects.filter(text="Uitje naar het park").exists()
    # The control: without Finn the same note is saved.
    client.post(
        f"/staff/diary/groups/{world.group_a.code}/note/",
        {
            "date": timezone.localdate().isoformat(),
            "children": [world.daan.code],
            "text": "Uitje naar het park",
            "action": "save",
        },
    )
    assert DiaryEntry.objects.filter(text="Uitje naar het park").count() == 1


def test_it_refuses_tagging_a_child_of_another_group(client, login, world):
    login(world.sanne)
    photo = world.photo
    response = client.post(
        f"/staff/photos/group/{world.group_a.code}/?batch={photo.batch}",
        {"photo": photo.code, f"tags-{photo.code}": [world.daan.code, world.finn.code]},
    )
    assert response.status_code == 302
    assert set(PhotoTag.objects.filter(photo=photo).values_list("child", flat=True)) == {
        world.daan.pk,
        world.mila.pk,
    }


def test_it_refuses_a_consent_choice_for_another_family_s_child(client, login, cast, statement):
    login(cast.anna)
    response = client.post(
        "/consent/choices/",
        {
            f"{cast.daan.code}-photos": "yes",
            f"{cast.daan.code}-diary": "yes",
            f"{cast.eva.code}-photos": "yes",
            f"{cast.eva.code}-diary": "yes",
            f"{cast.finn.code}-photos": "yes",
        },
    )
    assert response.status_code == 404
    assert not cast.finn.consent_decisions.exists()
    assert not cast.daan.consent_decisions.exists()
