"""The photos app's links on shared pages (panels)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_links_staff_to_upload_for_their_groups(cast, login):
    text = login(cast.sanne).get(reverse("staff:home")).content.decode()
    assert reverse("photos_staff:upload", args=[cast.group_a.code]) in text
    assert reverse("photos_staff:upload", args=[cast.group_b.code]) not in text


def test_it_links_parents_to_the_gallery_of_each_child(cast, statement, login):
    client = login(cast.anna)
    for child in (cast.daan, cast.eva):  # the child page (Vandaag links its own child's photos)
        text = client.get(reverse("child", args=[child.code])).content.decode()
        assert reverse("photos:gallery", args=[child.code]) in text
        assert reverse("photos:gallery", args=[cast.mila.code]) not in text
