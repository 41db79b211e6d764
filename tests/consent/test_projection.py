"""The consent projection (issue 16): every write path keeps it equal to the rule computed
from the decisions, in the write's own transaction; reads use it, cheaply; a withdrawal closes
every file, the gallery, the timeline and the ZIP on the very next request."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consent import projection
from consent.models import CurrentConsent, Purpose
from consent.selectors import ConsentState, consent_state
from consent.verification import compare
from daycare.models import Guardianship
from daycare.services import guardianship_add, guardianship_remove
from diary.models import DiaryDay, DiaryEntry
from photos.models import Photo, PhotoTag
from retention import engine

pytestmark = pytest.mark.django_db

SIZES = ["thumb", "display", "original"]


def file_urls(photo):
    urls = [reverse("photos:file", args=[photo.code, size]) for size in SIZES]
    return [*urls, reverse("photos:file", args=[photo.code, "original"]) + "?download=1"]


def assert_projection_is_the_rule():
    assert compare().differences == []


def zip_names(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


@pytest.fixture
def diary_day(cast, decide):
    decide(cast.daan, Purpose.DIARY, given=True, by=cast.anna)
    day = DiaryDay.objects.create(child=cast.daan, date=timezone.localdate())
    DiaryEntry.objects.create(day=day, kind="staff", author=cast.sanne, text="Zandtaart gebakken")
    return day


def test_it_closes_every_size_the_gallery_the_timeline_and_the_zip_on_the_next_request(
    cast, login, group_photo, diary_day
):
    anna = login(cast.anna, two_factor=False)
    gallery = reverse("photos:gallery", args=[cast.daan.code])
    timeline = reverse("diary:timeline", args=[cast.daan.code])
    zip_url = reverse("photos:zip", args=[cast.daan.code])
    for url in file_urls(group_photo):
        assert anna.get(url).status_code == 200
    assert group_photo.code in anna.get(gallery).content.decode()
    page = anna.get(timeline).content.decode()
    assert group_photo.code in page and "Zandtaart gebakken" in page
    assert len(zip_names(anna.post(zip_url, {"photo": [group_photo.code]}))) == 1

    chris = login(cast.chris, two_factor=False)
    url = reverse("consent:change", args=[cast.daan.code, "photos"])
    assert chris.post(url, {"given": "no"}).status_code == 302

    anna = login(cast.anna, two_factor=False)
    for url in file_urls(group_photo):
        assert anna.get(url).status_code == 404, url
    assert anna.get(gallery).status_code == 403  # the gate: photos are off for Daan
    page = anna.get(timeline).content.decode()
    assert group_photo.code not in page and "Zandtaart gebakken" in page
    assert anna.post(zip_url, {"photo": [group_photo.code]}).status_code == 403
    dewi = login(cast.dewi, two_factor=False)  # Mila's mother loses the group photo too
    for url in file_urls(group_photo):
        assert dewi.get(url).status_code == 404, url
    mila_gallery = dewi.get(reverse("photos:gallery", args=[cast.mila.code])).content.decode()
    assert group_photo.code not in mila_gallery
    mila_zip = reverse("photos:zip", args=[cast.mila.code])
    assert dewi.post(mila_zip, {"photo": [group_photo.code]}).status_code == 404
    sanne = login(cast.sanne)
    for size in SIZES:
        staff_url = reverse("photos_staff:file", args=[group_photo.code, size])
        assert sanne.get(staff_url).status_code == 404

    chris = login(cast.chris, two_factor=False)
    url = reverse("consent:change", args=[cast.daan.code, "diary"])
    assert chris.post(url, {"given": "no"}).status_code == 302
    anna = login(cast.anna, two_factor=False)
    response = anna.get(timeline)
    assert response.status_code == 403
    assert "Zandtaart gebakken" not in response.content.decode()
    assert_projection_is_the_rule()


def test_it_decides_a_parents_file_request_with_one_query_on_photos(cast, login, group_photo):
    anna = login(cast.anna, two_factor=False)
    url = reverse("photos:file", args=[group_photo.code, "thumb"])
    anna.get(url)  # session warm
    with CaptureQueriesContext(connection) as captured:
        assert anna.get(url).status_code == 200
    deciding = [q["sql"] for q in captured.captured_queries if "photos_" in q["sql"]]
    assert len(deciding) == 1
    assert "consent_consentdecision" not in deciding[0]  # the log is not read per request


def test_it_decides_a_staff_file_request_with_two_queries_on_photos(cast, login, group_photo):
    sanne = login(cast.sanne)
    url = reverse("photos_staff:file", args=[group_photo.code, "thumb"])
    sanne.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert sanne.get(url).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert not any("consent_consentdecision" in q for q in sql)
    # the photo, and its tags for the access log (R24)
    assert len([q for q in sql if "photos_" in q and "INSERT" not in q]) <= 2


def test_it_keeps_the_projection_equal_to_the_rule_on_every_write_path(
    cast, login, decide, make_photo, django_capture_on_commit_callbacks
):
    assert_projection_is_the_rule()
    for child in (cast.daan, cast.mila, cast.noor, cast.sem, cast.lieke):
        decide(child, Purpose.PHOTOS, given=True)
    assert_projection_is_the_rule()
    pair = make_photo(cast.daan, cast.mila)
    leavers = make_photo(cast.noor, cast.sem, cast.lieke, group=cast.noor.group)
    assert Photo.objects.get(pk=pair.pk).shareable
    assert_projection_is_the_rule()

    # a paper decision, recorded by customer service
    service = login(cast.service)
    chris = Guardianship.objects.get(child=cast.daan, user=cast.chris)
    with django_capture_on_commit_callbacks(execute=True):
        response = service.post(
            reverse("consent_staff:paper", args=[cast.daan.code]),
            {"guardianship": chris.pk, "purpose": "photos", "given": "no", "confirm": "on"},
        )
    assert response.status_code == 302
    assert not Photo.objects.get(pk=pair.pk).shareable
    assert_projection_is_the_rule()

    # a guardian removed (chris's "no" stops counting) and added again (it counts again)
    chris = cast.daan.guardianships.get(user=cast.chris)
    guardianship_remove(guardianship=chris, removed_by=cast.service, reason="Einde gezag")
    assert Photo.objects.get(pk=pair.pk).shareable
    assert_projection_is_the_rule()
    guardianship_add(user=cast.chris, child=cast.daan, relation="parent", added_by=cast.service)
    assert not Photo.objects.get(pk=pair.pk).shareable
    assert_projection_is_the_rule()
    decide(cast.daan, Purpose.PHOTOS, given=True, by=cast.chris)

    # tags set by staff: Eva has no photo consent, so she cannot be tagged; Mila untagged
    sanne = login(cast.sanne)
    tag_page = reverse("photos_staff:tag", args=[cast.group_a.code])
    response = sanne.post(tag_page, {"photo": [pair.code], f"tags-{pair.code}": [cast.daan.code]})
    assert response.status_code == 302
    assert set(pair.tags.values_list("child_id", flat=True)) == {cast.daan.pk}
    assert PhotoTag.objects.get(photo=pair).shareable
    assert_projection_is_the_rule()

    # archiving (Sem left 10 weeks ago) closes the photo of the leavers
    assert Photo.objects.get(pk=leavers.pk).shareable
    engine.archive(timezone.localdate())
    cast.sem.refresh_from_db()
    assert cast.sem.archived_at is not None
    assert not Photo.objects.get(pk=leavers.pk).shareable
    assert_projection_is_the_rule()

    # destruction of Sem and Lieke: the photo stays for Noor and may be shared again
    with django_capture_on_commit_callbacks(execute=True):
        engine.destroy_children([cast.sem.pk, cast.lieke.pk], run_date=timezone.localdate())
    assert not CurrentConsent.objects.filter(child_id__in=[cast.sem.pk, cast.lieke.pk]).exists()
    assert Photo.objects.get(pk=leavers.pk).shareable
    assert_projection_is_the_rule()

    # deleting a photo takes its tags with it
    response = sanne.post(reverse("photos_staff:delete", args=[cast.group_a.code, pair.code]))
    assert response.status_code == 302
    assert not PhotoTag.objects.filter(photo_id=pair.pk).exists()
    assert_projection_is_the_rule()


def test_it_reads_a_missing_state_as_undecided_and_closes_the_diary(cast, login, diary_day):
    assert consent_state(cast.daan, Purpose.DIARY) == ConsentState.GIVEN
    CurrentConsent.objects.filter(child=cast.daan).delete()  # lost, by whatever accident
    assert consent_state(cast.daan, Purpose.DIARY) == ConsentState.UNDECIDED
    anna = login(cast.anna, two_factor=False)
    response = anna.get(reverse("diary:timeline", args=[cast.daan.code]))
    assert response.status_code == 302 and "/consent/choices/" in response.url
    assert [d.kind for d in compare().differences] == ["child", "child"]


def test_it_keeps_a_photo_closed_while_a_tag_is_not_projected(cast, login, consented, make_photo):
    photo = make_photo(cast.daan)
    PhotoTag.objects.create(photo=photo, child=cast.mila)  # past the services
    for user in (cast.anna, cast.dewi):
        client = login(user, two_factor=False)
        assert client.get(reverse("photos:file", args=[photo.code, "thumb"])).status_code == 404
    sanne = login(cast.sanne)
    assert sanne.get(reverse("photos_staff:file", args=[photo.code, "thumb"])).status_code == 404
    assert [d.kind for d in compare().differences] == ["tag"]
    projection.photos_changed([photo.pk])
    assert (
        login(cast.dewi).get(reverse("photos:file", args=[photo.code, "thumb"])).status_code == 200
    )


def test_it_skips_a_blurred_tag_when_deciding_whether_a_photo_may_be_shared(
    cast, login, consented, make_photo, decide
):
    photo = make_photo(cast.daan, cast.mila)
    decide(cast.mila, Purpose.PHOTOS, given=False)
    assert not Photo.objects.get(pk=photo.pk).shareable
    PhotoTag.objects.filter(photo=photo, child=cast.mila).update(blurred=True)
    projection.photos_changed([photo.pk])
    assert Photo.objects.get(pk=photo.pk).shareable
    assert_projection_is_the_rule()
    anna = login(cast.anna, two_factor=False)
    assert anna.get(reverse("photos:file", args=[photo.code, "thumb"])).status_code == 200
    dewi = login(cast.dewi, two_factor=False)  # a blurred tag gives Mila's parents nothing
    assert dewi.get(reverse("photos:file", args=[photo.code, "thumb"])).status_code == 404


def test_it_rebuilds_the_whole_projection_from_the_decisions(cast, consented, make_photo):
    make_photo(cast.daan, cast.mila)
    CurrentConsent.objects.all().delete()
    Photo.objects.update(shareable=False)
    assert compare().differences
    projection.rebuild()
    assert_projection_is_the_rule()
