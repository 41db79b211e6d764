"""Staff tag the children of their group; children without consent cannot be tagged (R5)."""

import pytest
from django.urls import reverse

from consent import projection
from consent.models import Purpose
from photos.models import PhotoTag

from .conftest import BATCH

pytestmark = pytest.mark.django_db


def tag_url(cast, batch=BATCH):
    url = reverse("photos_staff:tag", args=[cast.group_a.code])
    return f"{url}?batch={batch}" if batch else url


def tags(photo):
    return set(PhotoTag.objects.filter(photo=photo).values_list("child__first_name", flat=True))


def test_it_shows_children_without_consent_disabled_with_the_reason(
    cast, login, decide, make_photo
):
    decide(cast.daan, Purpose.PHOTOS)
    decide(cast.eva, Purpose.PHOTOS, given=False)
    photo = make_photo(group=cast.group_a)
    text = login(cast.sanne).get(tag_url(cast)).content.decode()
    assert f'name="tags-{photo.code}" value="{cast.daan.code}">' in text
    assert f'value="{cast.eva.code}" disabled>' in text
    assert f'value="{cast.mila.code}" disabled>' in text
    assert "geen toestemming voor foto&#x27;s" in text or "geen toestemming voor foto's" in text
    assert "nog geen keuze over foto" in text
    assert "Finn" not in text
    assert "verantwoordelijkheid" in text


def test_it_tags_and_untags(cast, consented, login, make_photo):
    photo = make_photo(group=cast.group_a)
    client = login(cast.sanne)
    data = {"photo": [photo.code], f"tags-{photo.code}": [cast.daan.code, cast.mila.code]}
    response = client.post(tag_url(cast), data)
    assert response.status_code == 302
    assert tags(photo) == {"Daan", "Mila"}
    client.post(tag_url(cast), {"photo": [photo.code], f"tags-{photo.code}": [cast.mila.code]})
    assert tags(photo) == {"Mila"}


def test_it_refuses_a_child_of_another_group(cast, consented, login, make_photo):
    photo = make_photo(group=cast.group_a)
    PhotoTag.objects.create(photo=photo, child=cast.daan)
    projection.photos_changed([photo.pk])  # written directly: project it
    client = login(cast.sanne)
    data = {"photo": [photo.code], f"tags-{photo.code}": [cast.mila.code, cast.finn.code]}
    response = client.post(tag_url(cast), data, follow=True)
    assert "Alleen kinderen uit de groep van deze foto" in response.content.decode()
    assert tags(photo) == {"Daan"}


def test_it_refuses_a_child_without_consent_even_when_forged(cast, login, decide, make_photo):
    decide(cast.daan, Purpose.PHOTOS)
    decide(cast.mila, Purpose.PHOTOS, given=False)
    photo = make_photo(group=cast.group_a)
    client = login(cast.sanne)
    data = {"photo": [photo.code], f"tags-{photo.code}": [cast.daan.code, cast.mila.code]}
    response = client.post(tag_url(cast), data, follow=True)
    assert "zonder toestemming voor foto" in response.content.decode()
    assert tags(photo) == set()


def test_it_is_404_for_another_groups_worker_and_for_parents(cast, consented, login, make_photo):
    photo = make_photo(group=cast.group_a)
    for user in (cast.tom, cast.anna):
        client = login(user)
        assert client.get(tag_url(cast)).status_code == 404
        data = {"photo": [photo.code], f"tags-{photo.code}": [cast.daan.code]}
        assert client.post(tag_url(cast), data).status_code == 404
    assert tags(photo) == set()


def test_it_ignores_a_photo_of_another_group_posted_here(cast, consented, login, make_photo):
    theirs = make_photo(group=cast.group_b, worker=cast.tom)
    client = login(cast.sanne)
    data = {"photo": [theirs.code], f"tags-{theirs.code}": [cast.daan.code]}
    response = client.post(tag_url(cast), data, follow=True)
    assert "niet meer beschikbaar" in response.content.decode()
    assert tags(theirs) == set()


def test_it_saves_the_other_photos_when_one_is_refused(cast, consented, login, make_photo):
    ours = make_photo(group=cast.group_a)
    forged = make_photo(group=cast.group_a)
    theirs = make_photo(group=cast.group_b, worker=cast.tom)
    client = login(cast.sanne)
    data = {
        "photo": [ours.code, forged.code, theirs.code],
        f"tags-{ours.code}": [cast.daan.code],
        f"tags-{forged.code}": [cast.finn.code],
        f"tags-{theirs.code}": [cast.daan.code],
    }
    text = client.post(tag_url(cast), data, follow=True).content.decode()
    assert "Alleen kinderen uit de groep van deze foto" in text
    assert "niet meer beschikbaar" in text
    assert "De labels zijn opgeslagen" in text
    assert (tags(ours), tags(forged), tags(theirs)) == ({"Daan"}, set(), set())
