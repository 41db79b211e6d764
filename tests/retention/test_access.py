"""Access (R17): archived children are gone for guardians and staff; the archive is only for
customer service; every other person gets 404."""

import pytest
from django.utils import timezone

from audit.models import AccessEvent
from retention import engine

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(cast, statement):
    engine.run(today=timezone.localdate())  # Sem (10 weeks) archived, Lieke (13 months) gone
    cast.sem.refresh_from_db()
    assert cast.sem.archived_at is not None
    return cast.sem


def test_it_hides_an_archived_child_from_its_guardian(cast, archived, login):
    client = login(cast.fleur)
    assert client.get(f"/children/{archived.code}/").status_code == 404
    assert client.get(f"/children/{cast.noor.code}/").status_code == 200
    assert "Sem" not in client.get("/").text


def test_it_hides_an_archived_child_from_staff(cast, archived, login):
    client = login(cast.lotte)
    assert client.get(f"/staff/children/{archived.code}/").status_code == 404
    assert client.get(f"/staff/children/{cast.noor.code}/").status_code == 200


def test_it_shows_the_archive_to_customer_service(cast, archived, login):
    client = login(cast.service)
    response = client.get("/staff/retention/archive/")
    assert response.status_code == 200
    assert "Sem" in response.text and "Noor" not in response.text
    assert "Sem" in client.get("/staff/retention/archive/?q=sem").text
    assert "Sem" not in client.get("/staff/retention/archive/?q=daan").text


def test_it_records_each_opening_of_an_archived_child_in_the_access_log(
    cast, archived, login, django_capture_on_commit_callbacks
):
    client = login(cast.service)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/staff/retention/archive/{archived.code}/")
    assert response.status_code == 200 and "Sem" in response.text
    event = AccessEvent.objects.get(child=archived)
    assert (event.user, event.kind) == (cast.service, "archive_opened")
    # The page lists the openings from the access log.
    page = client.get(f"/staff/retention/archive/{archived.code}/").text
    assert "heeft het archief geopend" in page


@pytest.mark.parametrize("who", ["lotte", "sanne", "tom", "fleur", "anna"])
def test_it_answers_404_for_the_archive_to_everyone_else(cast, archived, login, who):
    client = login(cast.users[who])
    assert client.get("/staff/retention/archive/").status_code == 404
    assert client.get(f"/staff/retention/archive/{archived.code}/").status_code == 404
    assert client.post(f"/staff/retention/archive/{archived.code}/export/").status_code == 404


def test_it_answers_404_in_the_archive_for_a_child_that_is_not_archived(cast, archived, login):
    client = login(cast.service)
    assert client.get(f"/staff/retention/archive/{cast.noor.code}/").status_code == 404
    assert client.get("/staff/retention/archive/AAAAAAAAAAAAAAAA/").status_code == 404


def test_it_keeps_the_archive_list_at_a_fixed_number_of_queries(cast, archived, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.retention.helpers import make_child

    client = login(cast.service)
    client.get("/staff/retention/archive/")
    with CaptureQueriesContext(connection) as one:
        client.get("/staff/retention/archive/")
    for _n in range(15):
        make_child(cast.group_c, contracts=[(archived.contracts.get().start_date, None)])
    engine.Child.objects.filter(first_name="Kind").update(archived_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        response = client.get("/staff/retention/archive/")
    assert response.text.count("Kind Test") == 15
    assert len(many) == len(one)
