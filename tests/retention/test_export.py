"""Download everything (R16, R21): one ZIP per child, built in a task, a 7-day link for the
parent who asked, streamed through an access-checked view."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from audit.models import AccessEvent
from consent.models import Purpose
from retention import engine
from retention.models import Export
from tests.files.queue import queued_keys
from tests.photos.conftest import make_photo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_export(cast, statement, decide, login, django_capture_on_commit_callbacks):
    decide(cast.noor, Purpose.PHOTOS, by=cast.fleur)
    client = login(cast.fleur, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/retention/children/{cast.noor.code}/export/")
    assert response.status_code == 302
    return Export.objects.get(child=cast.noor, requested_by=cast.fleur)


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_builds_a_zip_with_readable_and_machine_readable_parts(cast, ready_export, login):
    assert ready_export.status == Export.Status.READY
    assert ready_export.expires_at - ready_export.ready_at == timedelta(days=7)
    client = login(cast.fleur)
    response = client.get(f"/retention/exports/{ready_export.code}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    archive = _zip(response)
    names = set(archive.namelist())
    assert {"Noor/child.json", "Noor/overview.pdf", "Noor/consent/history.json"} <= names
    assert archive.read("Noor/overview.pdf").startswith(b"%PDF")
    assert archive.read("Noor/consent/history.pdf").startswith(b"%PDF")
    record = json.loads(archive.read("Noor/child.json"))
    assert record["first_name"] == "Noor" and record["care_contracts"][0]["end_date"]
    history = json.loads(archive.read("Noor/consent/history.json"))
    assert history[0]["purpose"] == "photos" and history[0]["given"] is True


def test_it_emails_the_parent_a_link_without_private_content(cast, ready_export):
    message = mail.outbox[-1]
    assert message.to == ["fleur@example.org"]
    assert "/retention/" in message.body
    assert "Noor" not in message.body and "Noor" not in message.subject


def test_it_lists_the_download_on_the_parent_page(cast, ready_export, login):
    response = login(cast.fleur).get("/retention/")
    assert f"/retention/exports/{ready_export.code}/" in response.text


@pytest.mark.parametrize("who", ["anna", "chris", "sanne", "lotte", "service"])
def test_it_refuses_the_link_to_every_other_user(cast, ready_export, login, who):
    client = login(cast.users[who])
    assert client.get(f"/retention/exports/{ready_export.code}/").status_code == 404


def test_it_refuses_the_link_when_logged_out(client, ready_export):
    client.logout()
    response = client.get(f"/retention/exports/{ready_export.code}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_expires_the_link_after_7_days(cast, ready_export, login, client):
    client.logout()  # a new session below: the old one would have timed out
    with time_machine.travel(ready_export.expires_at - timedelta(seconds=5), tick=False):
        client = login(cast.fleur)
        assert client.get(f"/retention/exports/{ready_export.code}/").status_code == 200
    client.logout()
    with time_machine.travel(ready_export.expires_at + timedelta(seconds=1), tick=False):
        client = login(cast.fleur)
        response = client.get(f"/retention/exports/{ready_export.code}/")
        assert response.status_code == 410
        assert "7" in response.text


def test_it_deletes_expired_exports_and_their_files(cast, ready_export):
    key = ready_export.storage_key
    assert default_storage.exists(key)
    with time_machine.travel(ready_export.expires_at + timedelta(minutes=1), tick=False):
        engine.run()
    assert not Export.objects.filter(pk=ready_export.pk).exists()
    assert not default_storage.exists(key)
    assert not queued_keys()


def test_it_closes_the_link_once_the_child_is_archived(cast, ready_export, login):
    cast.noor.archived_at = timezone.now()
    cast.noor.save()
    assert login(cast.fleur).get(f"/retention/exports/{ready_export.code}/").status_code == 404


def test_it_names_the_other_guardian_without_their_e_mail_address(
    cast, statement, decide, login, django_capture_on_commit_callbacks
):
    cast.chris.first_name = cast.chris.last_name = ""
    cast.chris.save(update_fields=["first_name", "last_name"])
    decide(cast.daan, Purpose.PHOTOS, by=cast.chris)
    client = login(cast.anna, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/retention/children/{cast.daan.code}/export/")
    export = Export.objects.get(child=cast.daan, requested_by=cast.anna)
    archive = _zip(client.get(f"/retention/exports/{export.code}/"))
    record = json.loads(archive.read("Daan/child.json"))
    history = json.loads(archive.read("Daan/consent/history.json"))
    assert "een ouder/verzorger zonder naam in het portaal" in record["guardians"]
    for text in (archive.read("Daan/child.json"), archive.read("Daan/consent/history.json")):
        assert cast.chris.email.encode() not in text
    assert history[-1]["decided_by"] == "een ouder/verzorger zonder naam in het portaal"


def test_it_refuses_an_export_of_another_familys_child(cast, statement, login):
    client = login(cast.anna)
    assert client.post(f"/retention/children/{cast.noor.code}/export/").status_code == 404
    assert not Export.objects.exists()


def test_it_refuses_an_export_of_an_archived_child_to_its_guardian(cast, statement, login):
    engine.run()
    client = login(cast.fleur)
    assert client.post(f"/retention/children/{cast.sem.code}/export/").status_code == 404


def test_it_only_exports_on_post(cast, statement, login):
    client = login(cast.fleur)
    assert client.get(f"/retention/children/{cast.noor.code}/export/").status_code == 405
    assert not Export.objects.exists()


def test_it_lets_customer_service_export_an_archived_child(
    cast, statement, login, django_capture_on_commit_callbacks
):
    engine.run()
    client = login(cast.service, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/retention/archive/{cast.sem.code}/export/")
    export = Export.objects.get(child=cast.sem)
    assert export.requested_by == cast.service and export.status == Export.Status.READY
    response = client.get(f"/staff/retention/exports/{export.code}/")
    assert response.status_code == 200
    assert "Sem/child.json" in _zip(response).namelist()
    assert login(cast.lotte).get(f"/staff/retention/exports/{export.code}/").status_code == 404


def test_it_prepares_one_export_at_a_time_per_child(cast, statement, login):
    client = login(cast.fleur, reauthenticated=True)
    client.post(f"/retention/children/{cast.noor.code}/export/")  # task not run: still pending
    client.post(f"/retention/children/{cast.noor.code}/export/")
    assert Export.objects.filter(child=cast.noor, status="pending").count() == 1


def test_it_withholds_a_prepared_zip_once_photo_consent_is_withdrawn(
    cast, ready_export, login, decide
):
    client = login(cast.fleur)
    decide(cast.noor, Purpose.PHOTOS, given=False, by=cast.fleur)
    response = client.get(f"/retention/exports/{ready_export.code}/")
    assert response.status_code == 409
    assert "ingetrokken" in response.text
    assert not hasattr(response, "streaming_content")
    page = client.get("/retention/").text  # no longer offered as "ZIP downloaden"
    assert f"/retention/exports/{ready_export.code}/" not in page
    assert "tegengehouden" in page


def test_it_withholds_a_zip_when_a_child_tagged_with_ours_loses_consent(
    cast,
    statement,
    decide,
    login,
    make_photo,  # noqa: F811
):
    """A group photo of Daan and Mila in Anna's ZIP: Dewi's withdrawal for Mila closes it (R5)."""
    for child, parent in ((cast.daan, cast.anna), (cast.mila, cast.dewi)):
        decide(child, Purpose.PHOTOS, by=parent)
    make_photo(cast.daan, cast.mila)
    export = Export.objects.create(
        child=cast.daan,
        requested_by=cast.anna,
        view_as=cast.anna,
        status=Export.Status.READY,
        storage_key="exports/xx/not-needed.zip",
        ready_at=timezone.now(),
    )
    client = login(cast.anna)
    decide(cast.mila, Purpose.PHOTOS, given=False, by=cast.dewi)
    assert client.get(f"/retention/exports/{export.code}/").status_code == 409


def test_it_refuses_the_link_to_a_parent_who_is_no_longer_a_guardian(cast, ready_export, login):
    from daycare.models import Guardianship

    Guardianship.objects.filter(child=cast.noor, user=cast.fleur).delete()
    client = login(cast.fleur)
    assert client.get(f"/retention/exports/{ready_export.code}/").status_code == 404


def _log():
    return sorted(
        AccessEvent.objects.values_list("user__email", "child__first_name", "kind", "role")
    )


def test_it_logs_the_export_and_its_download(
    cast, ready_export, login, django_capture_on_commit_callbacks
):
    """R24: who had a child's data put together and who took it away, read by nobody else."""
    assert _log() == [("fleur@example.org", "Noor", "export_created", "guardian")]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.fleur).get(f"/retention/exports/{ready_export.code}/")
        b"".join(response.streaming_content)
    assert ("fleur@example.org", "Noor", "export_downloaded", "guardian") in _log()
    archive = _zip(login(cast.fleur).get(f"/retention/exports/{ready_export.code}/"))
    assert "Noor/access-log.json" in archive.namelist()  # the audit app's part of the export


def test_it_logs_customer_service_opening_and_exporting_the_archive(
    cast, statement, login, django_capture_on_commit_callbacks
):
    engine.run()
    client = login(cast.service, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/staff/retention/archive/{cast.sem.code}/").status_code == 200
        client.post(f"/staff/retention/archive/{cast.sem.code}/export/")
    assert _log() == [
        ("service@example.org", "Sem", "archive_opened", "customer_service"),
        ("service@example.org", "Sem", "export_created", "customer_service"),
    ]
