"""Every staff read of a child's diary or photos makes one access event (R24); parents' reads
make none; repeats within a minute are one row; the write is off the request's path."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessEvent, AccessKind, AccessRole
from audit.services import access_events_record, access_log


def events():
    return list(AccessEvent.objects.values_list("user__email", "child__first_name", "kind"))


@pytest.mark.parametrize(
    "path",
    [
        "/staff/diary/children/{code}/",
        "/staff/diary/children/{code}/timeline/",
        "/staff/diary/children/{code}/print/",
    ],
)
def test_it_logs_each_staff_diary_read_path(consented, entry, login, get, path):
    login(consented.sanne)
    response = get(path.format(code=consented.daan.code))
    assert response.status_code == 200
    assert events() == [("sanne@example.org", "Daan", "diary_read")]
    event = AccessEvent.objects.get()
    assert event.role == AccessRole.GROUP_WORKER
    assert event.at.second == 0 and event.at.microsecond == 0


def test_it_logs_the_entry_edit_page_as_a_diary_read(consented, entry, login, get):
    login(consented.sanne)
    assert get(f"/staff/diary/entries/{entry.code}/edit/").status_code == 200
    assert events() == [("sanne@example.org", "Daan", "diary_read")]


def test_it_stores_no_content_only_who_which_child_what_and_when(consented, entry, login, get):
    login(consented.sanne)
    get(f"/staff/diary/children/{consented.daan.code}/timeline/")
    row = AccessEvent.objects.values().get()
    assert set(row) == {"id", "user_id", "role", "child_id", "kind", "at"}
    assert "Geheime" not in repr(row)


def test_it_snapshots_the_role_of_a_location_manager_and_of_customer_service(
    consented, entry, login, get
):
    for user in (consented.lotte, consented.service):
        login(user)
        assert get(f"/staff/diary/children/{consented.daan.code}/").status_code == 200
    roles = dict(AccessEvent.objects.values_list("user__email", "role"))
    assert roles == {
        "lotte@example.org": AccessRole.LOCATION_MANAGER,
        "service@example.org": AccessRole.CUSTOMER_SERVICE,
    }


def test_it_logs_nothing_when_a_parent_reads_their_own_childs_diary(consented, entry, login, get):
    login(consented.anna)
    assert get(f"/diary/{consented.daan.code}/").status_code == 200
    assert get(f"/diary/{consented.daan.code}/print/").status_code == 200
    assert events() == []


def test_it_logs_nothing_for_a_stranger_who_gets_404(consented, entry, login, get):
    login(consented.tom)  # group B
    assert get(f"/staff/diary/children/{consented.daan.code}/").status_code == 404
    assert get(f"/staff/diary/entries/{entry.code}/edit/").status_code == 404
    assert events() == []


def test_it_keeps_one_row_per_user_child_kind_and_minute(consented, entry, login, get):
    login(consented.sanne)
    url = f"/staff/diary/children/{consented.daan.code}/"
    start = timezone.now().replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            get(url)
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        get(url)  # still the same minute
    assert AccessEvent.objects.count() == 1
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        get(url)
    assert AccessEvent.objects.count() == 2


def test_it_logs_each_child_tagged_in_a_photo_a_staff_member_views(
    consented, make_photo, login, get
):
    photo = make_photo(consented.daan, consented.mila)
    login(consented.sanne)
    assert get(f"/staff/photos/p/{photo.code}/thumb/").status_code == 200
    assert sorted(events()) == [
        ("sanne@example.org", "Daan", "photo_read"),
        ("sanne@example.org", "Mila", "photo_read"),
    ]


def test_it_logs_a_download_of_the_original_as_a_download(consented, make_photo, login, get):
    photo = make_photo(consented.daan)
    login(consented.sanne)
    assert get(f"/staff/photos/p/{photo.code}/display/?download=1").status_code == 200
    assert get(f"/staff/photos/p/{photo.code}/original/").status_code == 200
    assert events() == [("sanne@example.org", "Daan", "photo_download")]


def test_it_makes_one_row_for_a_gallery_of_many_thumbnails(consented, make_photo, login, get):
    photos = [make_photo(consented.daan) for _ in range(6)]
    login(consented.sanne)
    assert get(f"/staff/photos/group/{consented.group_a.code}/").status_code == 200
    for photo in photos:
        assert get(f"/staff/photos/p/{photo.code}/thumb/").status_code == 200
    assert events() == [("sanne@example.org", "Daan", "photo_read")]


def test_it_logs_nothing_when_a_parent_views_photos(consented, make_photo, login, get):
    photo = make_photo(consented.daan)
    login(consented.anna)
    assert get(f"/photos/child/{consented.daan.code}/").status_code == 200
    assert get(f"/photos/p/{photo.code}/thumb/").status_code == 200
    assert get(f"/photos/p/{photo.code}/original/?download=1").status_code == 200
    assert events() == []


def test_it_logs_nothing_for_a_photo_another_groups_worker_cannot_see(
    consented, make_photo, login, get
):
    photo = make_photo(consented.daan)
    login(consented.tom)
    assert get(f"/staff/photos/p/{photo.code}/thumb/").status_code == 404
    assert events() == []


def test_it_adds_at_most_one_query_to_the_staff_diary_page(
    consented, entry, login, client, django_capture_on_commit_callbacks
):
    """The first read in a minute runs the eager task (one INSERT); a repeat only asks the
    cache. With a real broker the request itself makes no write at all."""
    login(consented.sanne)
    url = f"/staff/diary/children/{consented.daan.code}/"
    moment = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(moment, tick=False):
        # Warm up: the once-a-minute writes (session touch, session list activity) happen here.
        client.get(url)
        AccessEvent.objects.all().delete()
        minute = moment.replace(second=0, microsecond=0)
        cache.delete(
            f"audit:{consented.sanne.pk}:{AccessKind.DIARY_READ}:{consented.daan.pk}:"
            f"{minute:%Y%m%d%H%M}"
        )
        with (
            CaptureQueriesContext(connection) as first,
            django_capture_on_commit_callbacks(execute=True),
        ):
            client.get(url)
        with (
            CaptureQueriesContext(connection) as repeat,
            django_capture_on_commit_callbacks(execute=True),
        ):
            client.get(url)
    assert AccessEvent.objects.count() == 1

    # The savepoint pair exists only because the test runs inside a transaction; in
    # production the task writes in autocommit mode (BEGIN/COMMIT are not queries).
    def counted(queries):
        return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]

    assert len(counted(first)) - len(counted(repeat)) == 1
    inserts = [q["sql"] for q in first if "audit_accessevent" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("INSERT")
    assert not [q for q in repeat if "audit_accessevent" in q["sql"]]


def test_it_enqueues_the_write_only_after_the_transaction_commits(consented, entry, login, client):
    login(consented.sanne)
    client.get(f"/staff/diary/children/{consented.daan.code}/")  # callbacks not run
    assert AccessEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_ignores_a_second_write_of_the_same_minute_and_a_destroyed_child(consented):
    """As on the Celery worker: autocommit, the foreign key checked when the write commits."""
    at = timezone.now().replace(second=0, microsecond=0)
    args = {"user_id": consented.sanne.pk, "role": "group_worker", "kind": "diary_read", "at": at}
    access_events_record(child_ids=[consented.daan.pk], **args)
    access_events_record(child_ids=[consented.daan.pk], **args)
    assert AccessEvent.objects.count() == 1
    access_events_record(child_ids=[consented.mila.pk, 999_999], **args)
    assert sorted(AccessEvent.objects.values_list("child__first_name", flat=True)) == [
        "Daan",
        "Mila",
    ]


def test_it_logs_exports_and_archive_access_for_parents_too(
    consented, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access_log(user=consented.anna, child=consented.daan, kind=AccessKind.EXPORT_CREATED)
        access_log(user=consented.anna, child=consented.daan, kind=AccessKind.DIARY_READ)
        access_log(user=consented.service, child=consented.eva, kind=AccessKind.ARCHIVE_OPENED)
    assert sorted(AccessEvent.objects.values_list("child__first_name", "kind", "role")) == [
        ("Daan", "export_created", "guardian"),
        ("Eva", "archive_opened", "customer_service"),
    ]


def test_it_refuses_an_unknown_kind(consented):
    with pytest.raises(ValueError):
        access_log(user=consented.sanne, child=consented.daan, kind="diary_write")
