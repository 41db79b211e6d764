"""diary/retention.py per retention/contract.py: bulk destruction and the export."""

from consent.models import Purpose
from diary import retention
from diary.models import DiaryDay, DiaryEntry


class Writer:
    def __init__(self):
        self.json, self.bytes = {}, {}

    def add_json(self, path, data):
        self.json[path] = data

    def add_bytes(self, path, data):
        self.bytes[path] = data

    def add_file(self, path, key):  # the diary has no files
        raise AssertionError("no files expected")


def test_it_destroys_the_children_diary_and_is_idempotent(consented, entry_on):
    cast = consented
    entry_on(cast.daan, days_ago=0)
    entry_on(cast.daan, days_ago=0, text="tweede")
    entry_on(cast.daan, days_ago=1)
    keep = entry_on(cast.mila)
    assert retention.destroy_children([cast.daan.pk]) == {"diary days": 2, "diary entries": 3}
    assert retention.destroy_children([cast.daan.pk]) == {"diary days": 0, "diary entries": 0}
    assert list(DiaryEntry.objects.all()) == [keep]
    assert DiaryDay.objects.count() == 1


def test_it_destroys_entries_hidden_by_a_withdrawal_too(consented, entry_on, decide):
    cast = consented
    entry_on(cast.daan)
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    assert retention.destroy_children([cast.daan.pk])["diary entries"] == 1
    assert not DiaryEntry.objects.exists()


def test_it_exports_json_and_the_print_view(consented, entry_on):
    cast = consented
    entry_on(cast.daan, days_ago=1, text="Eerste <b>dag</b>", items={"mood": "happy"})
    entry_on(cast.daan, text="Tweede dag")
    writer = Writer()
    retention.export_child(child=cast.daan, user=cast.anna, writer=writer)
    data = writer.json["diary/diary.json"]
    assert [day["entries"][0]["text"] for day in data] == ["Eerste <b>dag</b>", "Tweede dag"]
    assert data[0]["entries"][0]["items"] == {"mood": "happy"}
    html = writer.bytes["diary/diary.html"].decode()
    assert "Eerste &lt;b&gt;dag&lt;/b&gt;" in html and "Tweede dag" in html
    assert "<style>" in html and ".diary-print" in html


def test_it_exports_nothing_without_consent_or_access(consented, entry_on, decide):
    cast = consented
    entry_on(cast.daan)
    writer = Writer()
    retention.export_child(child=cast.daan, user=cast.dewi, writer=writer)
    assert writer.json == {} and writer.bytes == {}
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    retention.export_child(child=cast.daan, user=cast.anna, writer=writer)
    assert writer.json == {} and writer.bytes == {}


def test_it_exports_an_archived_childs_diary_for_customer_service_only(consented, entry_on):
    from django.utils import timezone

    cast = consented
    entry_on(cast.daan, text="Archief")
    cast.daan.archived_at = timezone.now()
    cast.daan.save()
    parent, service = Writer(), Writer()
    retention.export_child(child=cast.daan, user=cast.anna, writer=parent)
    retention.export_child(child=cast.daan, user=cast.service, writer=service)
    assert parent.json == {}
    assert service.json["diary/diary.json"][0]["entries"][0]["text"] == "Archief"
