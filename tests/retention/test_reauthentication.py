"""Re-authentication before data leaves the portal or is erased (issue 9, R23): allauth asks
for the password again, then carries out the interrupted request. Other tests mark the session
as re-authenticated (tests/conftest.py, ``login(..., reauthenticated=True)``)."""

import pytest

from daycare.models import Child
from retention.models import DataRequest, Export

pytestmark = pytest.mark.django_db


def test_it_asks_for_the_password_before_an_export_and_then_makes_it(
    cast, statement, login, django_capture_on_commit_callbacks
):
    client = login(cast.fleur)
    url = f"/retention/children/{cast.noor.code}/export/"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not Export.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"password": "portal-demo"})
    assert response.status_code == 302 and response["Location"] == "/retention/"
    assert Export.objects.get(child=cast.noor, requested_by=cast.fleur).status == "ready"


def test_it_refuses_a_wrong_password_and_exports_nothing(cast, statement, login):
    client = login(cast.fleur)
    response = client.post(f"/retention/children/{cast.noor.code}/export/")
    response = client.post(response["Location"], {"password": "raden-maar"})
    assert response.status_code == 200
    assert not Export.objects.exists()


def test_it_answers_404_before_asking_anything_for_another_familys_child(cast, statement, login):
    response = login(cast.anna).post(f"/retention/children/{cast.noor.code}/export/")
    assert response.status_code == 404


def test_it_asks_customer_service_again_before_an_erasure(cast, statement, login):
    login(cast.fleur).post(
        "/retention/requests/new/",
        {"kind": "erasure", "subject": cast.noor.code, "explanation": "Graag alles wissen."},
    )
    request = DataRequest.objects.get()
    response = login(cast.service).post(
        f"/staff/retention/requests/{request.code}/erase/",
        {"erase-confirm": "on"},
    )
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert Child.objects.filter(pk=cast.noor.pk).exists()
