"""The gallery's form of the photo rule gives exactly the photos of the general form (issues
10 and 16): ``all_photos_of_child`` (the child's own tags, their projected flag and date, for a
guardian of the child) against ``photos_of_child`` (every tag of the photo checked), for any
combination of consent states and an archived child."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent import projection
from consent.models import ConsentDecision, Purpose
from daycare.models import Child
from photos.models import Photo, PhotoTag
from photos.selectors import all_photos_of_child, photos_of_child

pytestmark = pytest.mark.django_db

STATES = st.sampled_from(["given", "refused", "undecided"])


@pytest.fixture
def photo_set(cast, decide):
    """Daan alone, Daan with Mila, Daan with Eva, Mila alone, and an untagged photo."""
    when = timezone.now() - timedelta(hours=2)
    tags = [[cast.daan], [cast.daan, cast.mila], [cast.daan, cast.eva], [cast.mila], []]
    photos = Photo.objects.bulk_create(
        [
            Photo(
                group=cast.group_a,
                uploaded_by=cast.sanne,
                batch="stepsBatchCode01",
                taken_at=when - timedelta(minutes=n),
                original_key=f"photos/st/steps{n}.jpg",
                display_key=f"photos/st/steps{n}-d.jpg",
                thumb_key=f"photos/st/steps{n}-t.jpg",
                width=1600,
                height=1200,
            )
            for n in range(len(tags))
        ]
    )
    PhotoTag.objects.bulk_create(
        [
            PhotoTag(photo=p, child=c)
            for p, children in zip(photos, tags, strict=True)
            for c in children
        ]
    )
    return cast, decide


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(daan=STATES, mila=STATES, eva=STATES, mila_archived=st.booleans())
def test_the_gallery_rule_in_steps_matches_the_rule_in_one_query(
    photo_set, daan, mila, eva, mila_archived
):
    cast, decide = photo_set
    ConsentDecision.objects.destroy_for_retention(
        child_ids=[cast.daan.pk, cast.mila.pk, cast.eva.pk]
    )
    for child, state in ((cast.daan, daan), (cast.mila, mila), (cast.eva, eva)):
        if state != "undecided":
            decide(child, Purpose.PHOTOS, given=state == "given")
    Child.objects.filter(pk=cast.mila.pk).update(
        archived_at=timezone.now() if mila_archived else None
    )
    # Written directly above (retention's own path does the same in its transaction).
    projection.children_changed([cast.daan.pk, cast.mila.pk, cast.eva.pk])
    for user in (cast.anna, cast.chris, cast.dewi, cast.bram):
        for child in (cast.daan, cast.mila):
            if child.guardianships.filter(user=user).exists():
                expected = codes(photos_of_child(user, child))
            else:  # the gallery of a child is for the child's guardians only
                expected = set()
            assert codes(all_photos_of_child(user, child)) == expected
    if daan == mila == "given" and not mila_archived:
        assert len(codes(all_photos_of_child(cast.anna, cast.daan))) >= 2
