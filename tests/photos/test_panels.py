"""The photos app's links on shared pages (panels)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_links_staff_to_upload_for_their_groups(cast, login):
    text = login(cast.sanne).get(reverse("daycare_staff:home")).content.decode()
    assert reverse("photos_staff:upload", args=[cast.group_a.code]) in text
    assert reverse("photos_staff:upload", args=[cast.group_b.code]) not in text


def test_it_links_parents_to_the_gallery_of_each_child(cast, statement, login):
    text = login(cast.anna).get(reverse("home")).content.decode()
    assert reverse("photos:gallery", args=[cast.daan.code]) in text
    assert reverse("photos:gallery", args=[cast.eva.code]) in text
    assert reverse("photos:gallery", args=[cast.mila.code]) not in text
