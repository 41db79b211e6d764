"""R4/R6: the consent page shows the state per child and purpose and changes it with one action
and a confirmation; withdrawal by either guardian wins and the others get an e-mail."""

import pytest
from django.core import mail
from django.utils import timezone

from consent.models import ConsentDecision
from consent.selectors import ConsentState, consent_state
from consent.services import consent_decide
from core.errors import DomainError
from daycare.models import Child

pytestmark = pytest.mark.django_db


def test_it_shows_the_state_per_child_and_purpose(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    decide(cast.daan, "photos", False, by=cast.chris)
    login(cast.anna)
    page = client.get("/consent/").content.decode()
    assert "Daan" in page and "Eva" in page
    assert "consent-refused" in page
    assert "consent-undecided" in page
    assert "Wat nu" not in page  # sanity: the page renders in Dutch without placeholders


def test_it_confirms_before_changing(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.anna)
    page = client.get(f"/consent/children/{cast.daan.code}/photos/?to=no")
    assert page.status_code == 200
    assert 'value="no" checked' in page.content.decode() or "checked" in page.content.decode()
    assert ConsentDecision.objects.count() == 1


def test_it_withdraws_with_effect_on_the_next_request(
    cast, client, login, decide, django_capture_on_commit_callbacks
):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "no"})
    assert response["Location"] == "/consent/"
    assert consent_state(cast.daan, "photos") == ConsentState.REFUSED
    assert [m.to for m in mail.outbox] == [["chris@example.org"]]


def test_it_lets_chris_withdraw_for_anna_too(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.chris)
    client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "no"})
    assert consent_state(cast.daan, "photos") == ConsentState.REFUSED
    login(cast.anna)
    assert "consent-refused" in client.get("/consent/").content.decode()


def test_it_keeps_every_decision(cast, client, login, decide):
    decide(cast.daan, "diary", True, by=cast.anna)
    login(cast.anna)
    client.post(f"/consent/children/{cast.daan.code}/diary/", {"given": "no"})
    client.post(f"/consent/children/{cast.daan.code}/diary/", {"given": "yes"})
    assert list(
        ConsentDecision.objects.filter(child=cast.daan)
        .order_by("pk")
        .values_list("given", flat=True)
    ) == [True, False, True]


@pytest.mark.parametrize("data", [{}, {"given": "perhaps"}])
def test_it_refuses_a_missing_or_unknown_choice(cast, client, login, statement, data):
    login(cast.anna)
    response = client.post(f"/consent/children/{cast.daan.code}/photos/", data)
    assert response.status_code == 400
    assert not ConsentDecision.objects.exists()


def test_it_answers_404_for_a_child_that_is_not_yours(cast, client, login, statement):
    login(cast.dewi)
    response = client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "yes"})
    assert response.status_code == 404
    assert client.get(f"/consent/children/{cast.daan.code}/photos/").status_code == 404
    assert not ConsentDecision.objects.exists()


def test_it_answers_404_for_an_unknown_purpose(cast, client, login, statement):
    login(cast.anna)
    response = client.post(f"/consent/children/{cast.daan.code}/video/", {"given": "yes"})
    assert response.status_code == 404
    assert not ConsentDecision.objects.exists()


def test_it_refuses_a_decision_for_an_archived_child(cast, client, login, statement):
    Child.objects.filter(pk=cast.daan.pk).update(archived_at=timezone.now())
    login(cast.anna)
    response = client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "yes"})
    assert response.status_code == 404
    cast.daan.refresh_from_db()
    with pytest.raises(DomainError):
        consent_decide(child=cast.daan, purpose="photos", given=True, decided_by=cast.anna)
    assert not ConsentDecision.objects.exists()


def test_it_refuses_a_decision_by_someone_who_is_not_a_guardian(cast, statement):
    with pytest.raises(DomainError):
        consent_decide(child=cast.daan, purpose="photos", given=True, decided_by=cast.dewi)
    assert not ConsentDecision.objects.exists()


def test_it_lists_the_overview_in_a_fixed_number_of_queries(
    cast, client, login, decide, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from daycare.models import Guardianship

    login(cast.anna)
    client.get("/consent/")  # warm up the session
    with CaptureQueriesContext(connection) as few:
        client.get("/consent/")
    for child in (cast.mila, cast.finn):
        Guardianship.objects.create(user=cast.anna, child=child)
        decide(child, "photos", True, by=cast.anna)
        decide(child, "diary", False, by=cast.anna)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/consent/").content.decode()
    assert "Finn" in page and "Mila" in page
