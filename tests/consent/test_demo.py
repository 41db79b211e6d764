"""The demo story of issue 3, through HTTP: anna's first login, chris's withdrawal, sanne's and
service's views. seed_demo's consent part is idempotent."""

import pytest
from django.utils import timezone

from consent import demo
from consent.models import ConsentDecision, PrivacyStatement, StatementAcceptance
from consent.selectors import ConsentState, consent_state

pytestmark = pytest.mark.django_db


def seed():
    demo.seed(today=timezone.localdate())


def test_it_seeds_idempotently(cast):
    seed()
    counts = (ConsentDecision.objects.count(), StatementAcceptance.objects.count())
    seed()
    assert (ConsentDecision.objects.count(), StatementAcceptance.objects.count()) == counts
    assert PrivacyStatement.objects.get().published_at is not None
    assert consent_state(cast.mila, "photos") == ConsentState.GIVEN
    assert consent_state(cast.finn, "diary") == ConsentState.GIVEN
    assert not StatementAcceptance.objects.filter(user__in=[cast.anna, cast.chris]).exists()


def test_it_tells_the_demo_story(cast, client, login):
    seed()
    login(cast.anna)
    assert client.get("/")["Location"].startswith("/consent/statement/")
    client.post("/consent/statement/", {"version": 1, "next": "/"})
    response = client.post(
        "/consent/choices/",
        {
            f"{cast.daan.code}-photos": "yes",
            f"{cast.daan.code}-diary": "no",
            f"{cast.eva.code}-photos": "yes",
            f"{cast.eva.code}-diary": "yes",
        },
    )
    assert response.status_code == 302
    assert consent_state(cast.daan, "photos") == ConsentState.GIVEN

    login(cast.chris)
    client.post("/consent/statement/", {"version": 1})
    client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "no"})
    assert consent_state(cast.daan, "photos") == ConsentState.REFUSED

    login(cast.anna)
    page = client.get("/consent/").content.decode()
    assert "consent-refused" in page

    login(cast.sanne)
    page = client.get(f"/staff/consent/groups/{cast.group_a.code}/").content.decode()
    assert "consent-refused" in page and "consent-given" in page

    login(cast.service)
    page = client.get(f"/staff/consent/children/{cast.daan.code}/history/").content.decode()
    assert page.count("<tr>") >= 4  # header + three decisions about Daan
