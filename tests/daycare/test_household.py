"""A guardian never sees another guardian's contact details (R27), unless the organisation
marked them as one household; names and relation are shown, so a parent knows who has access."""

import pytest

from accounts.models import User
from daycare.models import Household

pytestmark = pytest.mark.django_db


def test_it_shows_who_else_is_a_guardian_without_contact_details(cast, client, login):
    User.objects.filter(pk=cast.chris.pk).update(phone="06 1234 5678", street="Geheimstraat 1")
    login(cast.anna, two_factor=False)
    page = client.get(f"/children/{cast.daan.code}/").text
    assert "Chris de Vries" in page and "ouder met gezag" in page
    for detail in ("chris@example.org", "06 1234 5678", "Geheimstraat"):
        assert detail not in page
    # Eva has Anna only.
    assert "u bent de enige ouder/verzorger" in client.get(f"/children/{cast.eva.code}/").text


def test_it_shows_contact_details_within_one_household(cast, client, login):
    User.objects.filter(pk=cast.chris.pk).update(phone="06 1234 5678")
    household = Household.objects.create(note="De Vries")
    household.members.set([cast.anna, cast.chris])
    login(cast.anna, two_factor=False)
    page = client.get(f"/children/{cast.daan.code}/").text
    assert "chris@example.org" in page and "06 1234 5678" in page
    # A household with someone else does not count.
    household.members.set([cast.anna, cast.dewi])
    page = client.get(f"/children/{cast.daan.code}/").text
    assert "chris@example.org" not in page and "06 1234 5678" not in page


def test_it_answers_404_to_a_stranger_on_the_child_page(cast, client, login):
    login(cast.bram, two_factor=False)
    assert client.get(f"/children/{cast.daan.code}/").status_code == 404
