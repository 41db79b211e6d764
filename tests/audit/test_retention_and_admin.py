"""The access log in retention (destroyed with the child, in the parents' export) and in
Django admin (read-only)."""

from audit import retention
from audit.models import AccessEvent, AccessKind, AccessRole
from daycare.models import Child


class JsonWriter:
    """The export writer of retention/contract.py, keeping what is added (JSON only)."""

    def __init__(self):
        self.files = {}

    def add_json(self, path, data):
        self.files[path] = data


def test_it_destroys_a_childs_events_and_says_how_many(consented, add_event):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    add_event(consented.sanne, consented.mila, AccessKind.DIARY_READ)
    assert retention.destroy_children([consented.daan.pk]) == {"access log entries": 1}
    assert retention.destroy_children([consented.daan.pk]) == {"access log entries": 0}
    assert list(AccessEvent.objects.values_list("child", flat=True)) == [consented.mila.pk]


def test_it_goes_with_the_child_when_retention_deletes_the_child(consented, add_event):
    add_event(consented.sanne, consented.daan, AccessKind.PHOTO_READ)
    user = consented.sanne
    Child.objects.filter(pk=consented.daan.pk).delete()
    assert AccessEvent.objects.count() == 0
    user.refresh_from_db()  # the staff member stays


def test_it_keeps_the_event_without_a_name_when_the_staff_account_goes(consented, add_event):
    add_event(consented.tom, consented.finn, AccessKind.DIARY_READ)
    consented.tom.delete()
    event = AccessEvent.objects.get()
    assert event.user is None and event.role == AccessRole.GROUP_WORKER


def test_it_exports_who_on_the_staff_accessed_the_child(consented, add_event):
    add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    add_event(consented.anna, consented.daan, AccessKind.EXPORT_CREATED, role=AccessRole.GUARDIAN)
    add_event(consented.sanne, consented.mila, AccessKind.DIARY_READ)
    writer = JsonWriter()
    retention.export_child(child=consented.daan, user=consented.anna, writer=writer)
    [row] = writer.files["access-log.json"]
    assert row["who"] == "Sanne Mulder" and row["role"] == "group_worker"
    assert row["what"] == "diary_read"
    assert "sanne@example.org" not in repr(writer.files)


def test_it_shows_events_read_only_in_admin(consented, add_event, login, client):
    event = add_event(consented.sanne, consented.daan, AccessKind.DIARY_READ)
    login(consented.admin)
    assert client.get("/beheer/audit/accessevent/").status_code == 200
    assert client.get(f"/beheer/audit/accessevent/{event.pk}/change/").status_code == 200
    assert client.get("/beheer/audit/accessevent/add/").status_code == 403
    response = client.post(f"/beheer/audit/accessevent/{event.pk}/change/", {"kind": "photo_read"})
    assert response.status_code == 403
    assert client.get(f"/beheer/audit/accessevent/{event.pk}/delete/").status_code == 403
    event.refresh_from_db()
    assert event.kind == "diary_read"
