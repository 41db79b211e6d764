"""The parent gallery: outer wall (consent gate), strangers, months, fixed queries (R10)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consent import projection
from consent.models import Purpose
from photos.models import Photo, PhotoTag

from .conftest import BATCH

pytestmark = pytest.mark.django_db


def gallery(child):
    return reverse("photos:gallery", args=[child.code])


def test_it_shows_the_group_photo_and_the_notice(cast, group_photo, login):
    for parent, child in ((cast.anna, cast.daan), (cast.dewi, cast.mila)):
        response = login(parent).get(gallery(child))
        text = response.content.decode()
        assert response.status_code == 200
        assert reverse("photos:file", args=[group_photo.code, "thumb"]) in text
        assert "deel ze niet online" in text
        assert 'data-pswp-width="640"' in text


def test_it_is_404_for_another_family(cast, group_photo, login):
    assert login(cast.bram).get(gallery(cast.daan)).status_code == 404
    assert login(cast.dewi).get(gallery(cast.daan)).status_code == 404


def test_it_is_404_for_staff_on_the_parent_gallery(cast, group_photo, login):
    # The gate lets staff through; the guardian-only page still answers 404.
    assert login(cast.sanne).get(gallery(cast.daan)).status_code == 404


def test_the_gate_closes_the_gallery_on_its_own(cast, group_photo, login, decide):
    """Outer wall: refused consent shows the 'feature off' page before the view runs."""
    decide(cast.mila, Purpose.PHOTOS, given=False)
    response = login(cast.dewi).get(gallery(cast.mila))
    assert response.status_code == 403
    assert reverse("photos:file", args=[group_photo.code, "thumb"]) not in response.content.decode()


def test_the_gate_sends_an_undecided_guardian_to_the_choices(cast, statement, login):
    response = login(cast.bram).get(gallery(cast.finn))
    assert response.status_code == 302
    assert response.url.startswith(reverse("consent:choices"))


def test_it_costs_a_fixed_number_of_queries_for_500_photos(cast, consented, login, make_photo):
    template = make_photo(cast.daan, cast.mila)
    client = login(cast.anna)
    client.get(gallery(cast.daan))  # warm up session and caches

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(gallery(cast.daan))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    few, _ = count()
    now = timezone.now()
    photos = Photo.objects.bulk_create(
        [
            Photo(
                group=cast.group_a,
                batch=BATCH,
                taken_at=now - timezone.timedelta(days=n % 60),
                original_key=template.original_key,
                display_key=template.display_key,
                thumb_key=template.thumb_key,
                width=640,
                height=480,
            )
            for n in range(500)
        ]
    )
    PhotoTag.objects.bulk_create(
        [PhotoTag(photo=p, child=c) for p in photos for c in (cast.daan, cast.mila)]
    )
    projection.photos_changed([p.pk for p in photos])  # written directly: project them
    many, response = count()
    assert many == few
    assert response.content.decode().count('class="photo-link"') <= 48
    assert "Pagina 1 van" in response.content.decode() or len(response.context["page"]) <= 48


def test_it_lists_months_and_paginates(cast, consented, login, make_photo):
    photo = make_photo(cast.daan)
    Photo.objects.filter(pk=photo.pk).update(
        taken_at=timezone.datetime(2026, 3, 15, 12, tzinfo=timezone.get_current_timezone())
    )
    projection.photos_changed([photo.pk])  # the tag keeps a copy of the date
    recent = make_photo(cast.daan)
    client = login(cast.anna)
    text = client.get(gallery(cast.daan)).content.decode()
    assert "?month=2026-03" in text
    assert recent.code in text and photo.code not in text
    march = client.get(gallery(cast.daan) + "?month=2026-03").content.decode()
    assert photo.code in march and recent.code not in march
    assert client.get(gallery(cast.daan) + "?month=bogus&page=x").status_code == 200
