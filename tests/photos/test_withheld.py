"""A photo withheld by a missing photo consent: staff of its group can still find it in the
group's photo list, untag and delete it, without seeing it (issue 5, R5, R22)."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from consent.models import Purpose
from photos.models import Photo, PhotoTag
from photos.selectors import photos_for_parent, photos_for_staff, photos_managed_by
from tests.files.queue import queued_keys
from tests.photos.conftest import add_photos

pytestmark = pytest.mark.django_db

SIZES = ["thumb", "display", "original"]


@pytest.fixture
def withheld(cast, group_photo, decide):
    """The group photo of Daan and Mila after chris withdrew Daan's photo consent."""
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    return group_photo


def page_url(cast):
    return reverse("photos_staff:tag", args=[cast.group_a.code])


def delete_url(group, photo):
    return reverse("photos_staff:delete", args=[group.code, photo.code])


def file_urls(photo):
    names = ("photos_staff:file", "photos:file")
    urls = [reverse(name, args=[photo.code, size]) for name in names for size in SIZES]
    return [*urls, reverse("photos_staff:file", args=[photo.code, "display"]) + "?download=1"]


def tags(photo):
    return set(PhotoTag.objects.filter(photo=photo).values_list("child__first_name", flat=True))


def managed(user):
    return dict(photos_managed_by(user).values_list("code", "withheld"))


def test_it_lets_group_staff_manage_but_not_see_a_withheld_photo(cast, withheld):
    for name in ("sanne", "lotte", "service"):
        assert managed(cast.users[name]) == {withheld.code: True}
        assert not photos_for_staff(cast.users[name]).exists()
    for name in ("tom", "anna", "dewi"):
        assert managed(cast.users[name]) == {}


def test_it_marks_a_shareable_photo_as_not_withheld(cast, group_photo):
    assert managed(cast.sanne) == {group_photo.code: False}


def test_it_lets_the_groups_worker_delete_a_photo_after_a_withdrawal(cast, withheld, login):
    keys = withheld.storage_keys()
    response = login(cast.sanne).post(delete_url(cast.group_a, withheld))
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=withheld.pk).exists()
    assert not PhotoTag.objects.exists()
    # Queued in the deleting transaction, as the ordinary deletion does.
    assert queued_keys() == set(keys)


def test_it_lets_the_location_manager_delete_it_and_removes_the_files(
    cast, withheld, login, django_capture_on_commit_callbacks
):
    keys = withheld.storage_keys()
    assert len(keys) == 3 and all(default_storage.exists(key) for key in keys)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.lotte).post(delete_url(cast.group_a, withheld))
    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(key) for key in keys)
    assert not queued_keys()


def test_it_is_404_for_another_groups_worker_and_for_parents(cast, withheld, login):
    for user in (cast.tom, cast.anna, cast.dewi):
        assert login(user).post(delete_url(cast.group_a, withheld)).status_code == 404
    assert login(cast.tom).post(delete_url(cast.group_b, withheld)).status_code == 404
    assert Photo.objects.filter(pk=withheld.pk).exists()
    assert not queued_keys()


def test_it_shows_a_placeholder_and_no_file_url_of_the_photo(cast, withheld, login):
    cast.sanne.language = "en"  # R25: the account's language, applied at login
    cast.sanne.save(update_fields=["language"])
    client = login(cast.sanne)
    response = client.get(page_url(cast))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="tag-withheld"' in text
    assert "Hidden: a tagged child has no photo consent." in text
    assert f"/p/{withheld.code}/" not in text
    assert delete_url(cast.group_a, withheld) in text
    # Daan stays tagged, locked, with the reason; Mila can be untagged.
    assert f'value="{cast.daan.code}" checked disabled>' in text
    assert f'value="{cast.mila.code}" checked>' in text
    assert "no photo consent" in text


def test_it_shows_no_placeholder_for_a_shareable_photo(cast, group_photo, login):
    text = login(cast.sanne).get(page_url(cast)).content.decode()
    assert "tag-withheld" not in text
    assert reverse("photos_staff:file", args=[group_photo.code, "thumb"]) in text


def test_it_keeps_every_file_url_closed_to_staff(cast, withheld, login):
    for name in ("sanne", "lotte", "service", "tom"):
        client = login(cast.users[name])
        for url in file_urls(withheld):
            assert client.get(url).status_code == 404, (name, url)
    assert not AccessEvent.objects.exists()


def test_it_untags_a_child_and_keeps_the_tag_that_withholds_the_photo(cast, withheld, login):
    client = login(cast.sanne)
    # The page's form: Daan's checkbox is disabled, so only Mila's tag is sent.
    data = {"photo": [withheld.code], f"tags-{withheld.code}": [cast.mila.code]}
    assert client.post(page_url(cast), data).status_code == 302
    assert tags(withheld) == {"Daan", "Mila"}
    assert client.post(page_url(cast), {"photo": [withheld.code]}).status_code == 302
    assert tags(withheld) == {"Daan"}
    assert not photos_for_parent(cast.anna).exists()
    assert managed(cast.sanne) == {withheld.code: True}


def test_it_refuses_to_tag_another_child_without_consent_on_it(cast, withheld, login, decide):
    decide(cast.eva, Purpose.PHOTOS, given=False)
    client = login(cast.sanne)
    data = {"photo": [withheld.code], f"tags-{withheld.code}": [cast.mila.code, cast.eva.code]}
    response = client.post(page_url(cast), data, follow=True)
    assert "zonder toestemming voor foto" in response.content.decode()
    assert tags(withheld) == {"Daan", "Mila"}


def test_it_keeps_photos_of_an_archived_child_out(cast, group_photo, login):
    """Retention deletes these or removes the archived child's tag (R17, R18)."""
    cast.mila.archived_at = timezone.now()
    cast.mila.save()
    client = login(cast.sanne)
    assert group_photo.code not in client.get(page_url(cast)).content.decode()
    assert client.post(delete_url(cast.group_a, group_photo)).status_code == 404
    assert managed(cast.sanne) == {}


def test_it_shows_placeholders_with_a_fixed_number_of_queries(cast, consented, login, decide):
    add_photos(cast.group_a, cast.sanne, [cast.mila], 2)
    client = login(cast.sanne)
    client.get(page_url(cast))

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_url(cast))
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    few, text = count()
    assert "tag-withheld" not in text
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    withheld = add_photos(cast.group_a, cast.sanne, [cast.daan, cast.mila], 15)
    add_photos(cast.group_a, cast.sanne, [cast.eva], 10)
    many, text = count()
    assert many == few
    assert text.count('class="tag-withheld"') == 15
    assert not any(f"/p/{photo.code}/" in text for photo in withheld)
