"""Destruction (R18): everything of the child goes, files included; guardians left without
children are erased; only a record without personal data remains."""

import json
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from consent.models import ConsentDecision, Purpose
from daycare.models import CareContract, Child, GuardianInvitation, Guardianship
from retention import engine
from retention.models import DataRequest, DestructionRecord, Export
from tests.files.queue import queued_keys
from tests.photos.conftest import add_photos
from tests.retention.helpers import make_child, stored_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
LONG_AGO = (date(2020, 1, 6), date(2025, 10, 1))  # destroy due on 2026-10-01


def _parent(email, first="Pim"):
    user = User.objects.create_user(email=email, password="a-long-password-1", first_name=first)
    user.last_name, user.phone, user.city = "Peters", "0612345678", "Utrecht"
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _export(child, user):
    return Export.objects.create(
        child=child,
        requested_by=user,
        status=Export.Status.READY,
        storage_key=stored_file("exports"),
    )


def test_it_destroys_the_child_its_rows_and_its_files(cast, decide):
    pim = _parent("pim@example.org")
    child = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim], first_name="Olivier")
    decide(child, Purpose.PHOTOS, by=pim)
    GuardianInvitation.objects.create(token="t" * 40, email="x@example.org", child=child)
    export = _export(child, pim)
    assert default_storage.exists(export.storage_key)

    engine.run(today=TODAY)

    assert not Child.objects.filter(pk=child.pk).exists()
    assert not CareContract.objects.filter(child_id=child.pk).exists()
    assert not Guardianship.objects.filter(child_id=child.pk).exists()
    assert not GuardianInvitation.objects.filter(child_id=child.pk).exists()
    assert not ConsentDecision.objects.filter(child_id=child.pk).exists()
    assert not Export.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(export.storage_key)
    assert not queued_keys()


def test_it_erases_a_guardian_left_without_children(cast, decide, client):
    pim = _parent("pim@example.org")
    child = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim])
    decide(child, Purpose.DIARY, by=pim)
    request = DataRequest.objects.create(
        requested_by=pim, kind="access", explanation="Pim Peters, 0612345678", deadline=TODAY
    )

    engine.run(today=TODAY)

    pim.refresh_from_db()
    assert pim.email.startswith("erased-") and pim.email.endswith("@invalid")
    assert (pim.first_name, pim.last_name, pim.phone, pim.city) == ("", "", "", "")
    assert not pim.is_active and not pim.has_usable_password()
    assert not EmailAddress.objects.filter(user=pim).exists()
    request.refresh_from_db()
    assert request.explanation == ""
    response = client.post(
        "/accounts/login/", {"login": "pim@example.org", "password": "a-long-password-1"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_it_erases_what_every_app_keeps_of_an_erased_guardian(cast, decide):
    """Not only the user row: the e-mail choices, read marks, push devices and settings and
    anything still to be sent to them go with the account (R18)."""
    from messaging.models import NotificationPreference, PendingNotification
    from newsletters.models import EmailPreference, ReadMark
    from push.models import PendingPush, PushSettings, PushSubscription
    from tests.newsletters.helpers import publication

    pim = _parent("pim@example.org")
    make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim])
    news = publication("Zomerfeest", locations=[cast.loc1])
    NotificationPreference.objects.create(user=pim, email_on_new_message=False)
    PendingNotification.objects.create(user=pim, side="parent", due_at=timezone.now())
    EmailPreference.objects.create(user=pim, news=False, newsletters=True)
    ReadMark.objects.create(user=pim, publication=news)
    PushSubscription.objects.create(
        user=pim, endpoint="https://push.example.org/pim", p256dh="k", auth="a"
    )
    PushSettings.objects.create(user=pim)
    PendingPush.objects.create(user=pim, kind="messages", key="message-1", due_at=timezone.now())
    kept = PushSubscription.objects.create(
        user=cast.anna, endpoint="https://push.example.org/anna", p256dh="k", auth="a"
    )

    engine.run(today=TODAY)

    for model in (
        NotificationPreference,
        PendingNotification,
        EmailPreference,
        ReadMark,
        PushSubscription,
        PushSettings,
        PendingPush,
    ):
        assert not model.objects.filter(user=pim).exists(), model.__name__
    assert PushSubscription.objects.filter(pk=kept.pk).exists()


def test_it_ends_the_sessions_of_an_erased_guardian_once_the_erasure_is_committed(
    cast, login, django_capture_on_commit_callbacks
):
    from importlib import import_module

    from allauth.usersessions.models import UserSession
    from django.conf import settings

    pim = _parent("pim@example.org")
    make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim])
    client = login(pim)
    client.get("/")  # allauth records the session on a request
    session_key = client.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store().exists(session_key) and UserSession.objects.filter(user=pim).exists()
    with django_capture_on_commit_callbacks(execute=True):
        engine.run(today=TODAY, dry_run=True)
    assert store().exists(session_key)  # a dry run ends nothing
    with django_capture_on_commit_callbacks(execute=True):
        engine.run(today=TODAY)
    assert not store().exists(session_key)
    assert not UserSession.objects.filter(user=pim).exists()


def test_it_keeps_a_guardian_who_still_has_a_child(cast, decide):
    """Fleur's decisions about her other children stay, and so does her account."""
    gone = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[cast.fleur])
    decide(cast.noor, Purpose.PHOTOS, by=cast.fleur)

    engine.run(today=TODAY)

    assert not Child.objects.filter(pk=gone.pk).exists()
    fleur = User.objects.get(pk=cast.fleur.pk)
    assert fleur.is_active and fleur.email == "fleur@example.org"
    assert ConsentDecision.objects.filter(child=cast.noor, decided_by=fleur).exists()


def test_it_keeps_staff_accounts_that_were_also_guardians(cast):
    make_child(cast.group_c, contracts=[LONG_AGO], guardians=[cast.sanne])
    engine.run(today=TODAY)
    sanne = User.objects.get(pk=cast.sanne.pk)
    assert sanne.is_active and sanne.email == "sanne@example.org"


def test_it_leaves_a_record_with_kinds_and_counts_only(cast, decide):
    cast.lieke.delete()  # the cast's own 13-months child would be in the same batch
    pim = _parent("pim@example.org")
    child = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim], first_name="Olivier")
    decide(child, Purpose.PHOTOS, by=pim)
    _export(child, pim)

    engine.run(today=TODAY)

    record = DestructionRecord.objects.get()
    assert record.run_date == TODAY and record.children == 1 and record.accounts_erased == 1
    assert record.counts == {
        "care contracts": 1,
        "children": 1,
        "consent decisions": 1,
        "exports": 1,
        "guardianships": 1,
    }
    text = json.dumps(
        {f.name: str(getattr(record, f.name)) for f in DestructionRecord._meta.fields}
    )
    for personal in ("Olivier", "Pim", "Peters", "pim@example.org", child.code):
        assert personal not in text


def test_it_is_idempotent(cast):
    make_child(cast.group_c, contracts=[LONG_AGO], guardians=[cast.fleur])
    engine.run(today=TODAY)
    before = (Child.objects.count(), DestructionRecord.objects.count(), User.objects.count())
    report = engine.run(today=TODAY)
    assert report.destroyed == 0 and report.archived == 0
    assert (
        Child.objects.count(),
        DestructionRecord.objects.count(),
        User.objects.count(),
    ) == before


def test_it_works_in_bounded_batches(cast):
    cast.lieke.delete()
    for n in range(7):
        make_child(cast.group_c, contracts=[LONG_AGO], first_name=f"K{n}")
    report = engine.run(today=TODAY, batch_size=3)
    assert report.destroyed == 7 and report.batches == 3
    assert sorted(DestructionRecord.objects.values_list("children", flat=True)) == [1, 3, 3]


def test_it_prints_a_dry_run_and_changes_nothing(cast, capsys):
    make_child(cast.group_c, contracts=[LONG_AGO])
    children = Child.objects.count()
    call_command("run_retention", "--date", "2026-11-25", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out
    # ours and Lieke of the cast (13 months ago); Sem (10 weeks ago) is archived too
    assert "destroy: 2 children (would)" in out
    assert "archive: 3 children (would)" in out
    assert Child.objects.count() == children
    assert not Child.objects.filter(archived_at__isnull=False).exists()
    assert not DestructionRecord.objects.exists()
    assert not queued_keys()


def test_it_counts_in_a_dry_run_exactly_what_the_run_then_destroys(cast, decide, capsys):
    """The dry run does the destruction and rolls it back: its kinds and counts are the run's."""
    from consent.models import Purpose

    decide(cast.lieke, Purpose.PHOTOS, given=True)
    add_photos(cast.lieke.group, cast.sanne, [cast.lieke], 2)
    dry = engine.run(today=TODAY, dry_run=True)
    assert Child.objects.filter(pk=cast.lieke.pk).exists()
    assert not queued_keys() and not DestructionRecord.objects.exists()
    done = engine.run(today=TODAY)
    assert done.destroyed == dry.destroyed >= 1
    assert done.accounts_erased == dry.accounts_erased
    assert done.counts == dry.counts
    assert dry.counts["photos"] == 2 and dry.counts["consent decisions"] == 1
    call_command("run_retention", "--date", TODAY.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "destroy: 0 children (would)" in out  # done already


def test_it_refuses_an_impossible_date(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_retention", "--date", "2026-02-30")


def test_it_empties_the_words_of_a_request_about_the_child_when_it_is_destroyed(cast, decide):
    """Fleur keeps her account (Noor stays), so only the child's destruction can clear them."""
    gone = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[cast.fleur], first_name="Ot")
    about_ot = DataRequest.objects.create(
        requested_by=cast.fleur,
        kind="correction",
        child=gone,
        explanation="Ot heeft een notenallergie, niet pinda",
        outcome="Allergie aangepast in Ots dossier",
        deadline=TODAY,
    )
    about_ot.events.create(actor=cast.service, action="note", note="Gebeld met moeder van Ot")
    about_noor = DataRequest.objects.create(
        requested_by=cast.fleur,
        kind="access",
        child=cast.noor,
        explanation="Alles van Noor graag",
        deadline=TODAY,
    )

    engine.run(today=TODAY)

    about_ot.refresh_from_db()
    assert about_ot.child is None and (about_ot.explanation, about_ot.outcome) == ("", "")
    assert list(about_ot.events.values_list("note", flat=True)) == [""]
    about_noor.refresh_from_db()
    assert about_noor.explanation == "Alles van Noor graag"  # a kept child's request keeps them
    assert DestructionRecord.objects.get().counts["data request texts"] == 1


def test_it_reports_the_files_the_run_deleted(cast, decide, capsys):
    """run_retention printed 0 when files went: the files task (eager here) deleted them before
    the run's own loop looked. The run now counts every file deleted while it ran."""
    pim = _parent("pim@example.org")
    child = make_child(cast.group_c, contracts=[LONG_AGO], guardians=[pim], first_name="Olivier")
    exports = [_export(child, pim) for _ in range(3)]
    keys = [export.storage_key for export in exports]
    assert all(default_storage.exists(key) for key in keys)
    call_command("run_retention", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert not any(default_storage.exists(key) for key in keys)
    assert "  files deleted: 3\n" in out
    assert "queued for the files worker" not in out


def test_it_shows_destruction_records_in_the_admin_with_words_and_readable_counts(
    cast, client, login
):
    record = DestructionRecord.objects.create(
        run_date=TODAY,
        reason="erasure request",
        children=1,
        counts={"diary entries": 1234, "photos": 2, "children": 1},
    )
    login(cast.admin)
    page = client.get(f"/beheer/retention/destructionrecord/{record.pk}/change/").text
    assert "verzoek tot verwijdering" in page
    assert "dagboekberichten: 1.234" in page and "foto’s: 2" in page
    assert "{" not in page.split('id="content"', 1)[1].split("</form>", 1)[0]
    listing = client.get("/beheer/retention/destructionrecord/").text
    assert "verzoek tot verwijdering" in listing
