"""Staff delete a photo: the record and every file go, crash-safely (DESIGN.md)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from photos.models import Photo, PhotoTag
from tests.files.queue import queued_keys

pytestmark = pytest.mark.django_db


def delete_url(group, photo):
    return reverse("photos_staff:delete", args=[group.code, photo.code])


def test_it_deletes_the_record_and_all_files(
    cast, group_photo, login, django_capture_on_commit_callbacks
):
    keys = group_photo.storage_keys()
    assert len(keys) == 3 and all(default_storage.exists(key) for key in keys)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.sanne).post(delete_url(cast.group_a, group_photo))
    assert response.status_code == 302
    assert not Photo.objects.exists() and not PhotoTag.objects.exists()
    assert not any(default_storage.exists(key) for key in keys)
    assert not queued_keys()
    anna = login(cast.anna)
    assert anna.get(reverse("photos:file", args=[group_photo.code, "thumb"])).status_code == 404


def test_it_queues_the_files_in_the_same_transaction(cast, group_photo, login):
    # Without running the on-commit worker: the keys are queued, so nothing can be orphaned.
    login(cast.sanne).post(delete_url(cast.group_a, group_photo))
    assert queued_keys() == set(group_photo.storage_keys())


def test_it_is_404_for_another_group_and_parents(cast, group_photo, login):
    for user in (cast.tom, cast.anna):
        assert login(user).post(delete_url(cast.group_a, group_photo)).status_code == 404
    assert login(cast.tom).post(delete_url(cast.group_b, group_photo)).status_code == 404
    assert Photo.objects.filter(pk=group_photo.pk).exists()


def test_it_needs_post(cast, group_photo, login):
    assert login(cast.sanne).get(delete_url(cast.group_a, group_photo)).status_code == 405
    assert Photo.objects.exists()


def test_variants_made_after_a_deletion_leave_no_file(cast, consented, make_photo, login):
    from photos.services import photo_make_variants

    photo = make_photo(cast.daan)
    Photo.objects.filter(pk=photo.pk).update(thumb_key="", display_key="")
    login(cast.sanne).post(delete_url(cast.group_a, photo))
    assert photo_make_variants(photo_id=photo.pk) is False


def test_an_admin_deletion_also_queues_the_files(cast, group_photo, login):
    client = login(cast.admin)
    response = client.post(f"/beheer/photos/photo/{group_photo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert queued_keys() == set(group_photo.storage_keys())
