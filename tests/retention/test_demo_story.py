"""The demo story of issue 8, on the full demo data: ``run_retention`` archives Sem (left 10 weeks
ago), destroys Lieke (13 months ago) with her files, and leaves Noor (3 weeks ago) visible to
fleur with the banner and a working "download everything"."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from daycare.models import Child
from diary.models import DiaryEntry
from messaging.models import Conversation
from photos.models import Photo
from retention.models import DestructionRecord, Export

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force", stdout=StringIO())
    for user in cast.users.values():
        user.refresh_from_db()  # seed_demo sets the password again (a new session hash)
    return cast


def _keys(child):
    photos = Photo.objects.filter(tags__child=child)
    return [key for row in photos.values_list("original_key", "thumb_key") for key in row if key]


def test_it_runs_the_retention_demo(demo, login, django_capture_on_commit_callbacks):
    lieke_keys = _keys(demo.lieke)
    assert len(lieke_keys) >= 4 and all(default_storage.exists(key) for key in lieke_keys)
    assert DiaryEntry.objects.filter(day__child=demo.lieke).exists()
    assert Conversation.objects.filter(child=demo.lieke).exists()
    noor_keys = _keys(demo.noor)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_retention", stdout=out)
    assert "archive: 2 children (did)" in out.getvalue()  # Sem, and Lieke on her way out
    assert "destroy: 1 children (did)" in out.getvalue()

    assert not Child.objects.filter(pk=demo.lieke.pk).exists()
    assert not any(default_storage.exists(key) for key in lieke_keys)
    record = DestructionRecord.objects.get()
    assert record.children == 1 and record.counts["photo files"] == len(lieke_keys) + 2
    assert "Lieke" not in str(record.counts)
    assert Child.objects.get(pk=demo.sem.pk).archived_at is not None
    assert all(default_storage.exists(key) for key in noor_keys)

    fleur = login(demo.fleur, reauthenticated=True)
    assert fleur.get(f"/children/{demo.sem.code}/").status_code == 404
    home = fleur.get("/").text
    assert "Noor" in home and "Sem" not in home and "Lieke" not in home
    page = fleur.get("/retention/").text
    assert "Noor" in page
    with django_capture_on_commit_callbacks(execute=True):
        fleur.post(f"/retention/children/{demo.noor.code}/export/")
    export = Export.objects.get(child=demo.noor, requested_by=demo.fleur)
    response = fleur.get(f"/retention/exports/{export.code}/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert sum(name.startswith("Noor/photos/") for name in names) == 2
    assert {"Noor/diary/diary.pdf", "Noor/diary/diary.json", "Noor/consent/history.pdf"} <= set(
        names
    )
    assert archive.read("Noor/diary/diary.pdf").startswith(b"%PDF")

    out = StringIO()
    call_command("run_retention", stdout=out)
    assert "archive: 0 children" in out.getvalue() and "destroy: 0 children" in out.getvalue()
