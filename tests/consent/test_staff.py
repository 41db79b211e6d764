"""R6: staff see the consent state per child of their group; the location manager and customer
service see the full history; customer service records paper decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.models import Channel, ConsentDecision
from consent.selectors import ConsentState, consent_state
from daycare.models import Child

pytestmark = pytest.mark.django_db


def test_it_shows_sanne_the_states_of_her_group(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    decide(cast.daan, "photos", False, by=cast.chris)
    decide(cast.mila, "photos", True)
    login(cast.sanne)
    page = client.get(f"/staff/consent/groups/{cast.group_a.code}/").content.decode()
    assert "Daan" in page and "Mila" in page and "Eva" in page
    assert "Finn" not in page
    assert page.count("consent-given") == 1
    assert page.count("consent-refused") == 1
    assert "/history/" not in page  # group workers see the state, not the history


def test_it_answers_404_to_another_groups_worker_and_to_parents(cast, client, login, statement):
    login(cast.tom)
    assert client.get(f"/staff/consent/groups/{cast.group_a.code}/").status_code == 404
    assert client.get(f"/staff/consent/children/{cast.daan.code}/history/").status_code == 404
    login(cast.anna)
    assert client.get(f"/staff/consent/groups/{cast.group_a.code}/").status_code == 404


def test_it_lists_a_group_in_a_fixed_number_of_queries(cast, client, login, decide):
    login(cast.sanne)
    url = f"/staff/consent/groups/{cast.group_a.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        child = Child.objects.create(
            first_name=f"Kind{n}", last_name="Test", date_of_birth="2024-01-01", group=cast.group_a
        )
        from daycare.models import Guardianship

        Guardianship.objects.create(user=cast.dewi, child=child)
        decide(child, "photos", n % 2 == 0, by=cast.dewi)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "Kind29" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_shows_the_history_to_the_location_manager_and_customer_service(
    cast, client, login, decide
):
    decide(cast.daan, "photos", True, by=cast.anna)
    decide(cast.daan, "photos", False, by=cast.chris)
    for user in (cast.lotte, cast.service):
        login(user)
        response = client.get(f"/staff/consent/children/{cast.daan.code}/history/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Anna de Vries" in page and "Chris de Vries" in page
        assert "v1" in page


def test_it_hides_the_history_from_group_workers_and_other_managers(cast, client, login, statement):
    login(cast.sanne)
    assert client.get(f"/staff/consent/children/{cast.daan.code}/history/").status_code == 404
    login(cast.lotte)
    assert client.get(f"/staff/consent/children/{cast.finn.code}/history/").status_code == 404


def test_it_shows_the_state_on_the_staff_child_page(cast, client, login, decide):
    decide(cast.daan, "diary", True, by=cast.anna)
    login(cast.sanne)
    page = client.get(f"/staff/children/{cast.daan.code}/").content.decode()
    assert "consent-given" in page and "consent-undecided" in page


def test_it_lets_customer_service_record_a_paper_decision(
    cast, client, login, statement, django_capture_on_commit_callbacks
):
    from django.core import mail

    from daycare.models import Guardianship

    login(cast.service)
    url = f"/staff/consent/children/{cast.daan.code}/paper/"
    assert client.get(url).status_code == 200
    chris = Guardianship.objects.get(child=cast.daan, user=cast.chris)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"guardianship": chris.pk, "purpose": "photos", "given": "yes", "confirm": "on"}
        )
    assert response.status_code == 302
    decision = ConsentDecision.objects.get()
    assert decision.channel == Channel.PAPER
    assert decision.decided_by == cast.chris and decision.recorded_by == cast.service
    assert consent_state(cast.daan, "photos") == ConsentState.GIVEN
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    page = client.get(f"/staff/consent/children/{cast.daan.code}/history/").content.decode()
    assert "op papier" in page


def test_it_refuses_a_paper_decision_for_a_guardian_of_another_child(
    cast, client, login, statement
):
    from daycare.models import Guardianship

    login(cast.service)
    dewi = Guardianship.objects.get(child=cast.mila, user=cast.dewi)
    response = client.post(
        f"/staff/consent/children/{cast.daan.code}/paper/",
        {"guardianship": dewi.pk, "purpose": "photos", "given": "yes", "confirm": "on"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/staff/consent/children/{cast.daan.code}/paper/",
        {"guardianship": dewi.pk, "purpose": "video", "given": "yes"},
    )
    assert response.status_code == 400
    assert not ConsentDecision.objects.exists()


def test_it_lets_only_customer_service_record_paper_decisions(cast, client, login, statement):
    for user in (cast.sanne, cast.lotte):
        login(user)
        assert client.get(f"/staff/consent/children/{cast.daan.code}/paper/").status_code == 404
