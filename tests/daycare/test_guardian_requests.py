"""Guardianship is recorded by the organisation (R27, issue 14): workers and managers ask,
customer service approves or refuses (four eyes); only approval sends an invitation; every
guardian is told of an addition or removal; the change is in the access log and the history."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from daycare.models import (
    GuardianInvitation,
    Guardianship,
    GuardianshipEvent,
    GuardianshipRequest,
)

pytestmark = pytest.mark.django_db

QUEUE = "/staff/guardian-requests/"


def ask(client, login, cast, *, by=None, child=None, email="opa@example.org", relation="parent"):
    login(by or cast.sanne)
    child = child or cast.daan
    return client.post(
        f"/staff/children/{child.code}/",
        {"email": email, "relation": relation, "note": "Opa haalt Daan op woensdag."},
    )


def accept_new(client, invitation, first="Opa", last="de Vries"):
    client.logout()
    return client.post(
        f"/invitation/{invitation.token}/",
        {
            "first_name": first,
            "last_name": last,
            "password1": "zonnige-dag-42",
            "password2": "zonnige-dag-42",
        },
    )


def approve(client, login, cast, request, reason=""):
    login(cast.service)
    return client.post(f"{QUEUE}{request.code}/approve/", {"approve-reason": reason})


def test_it_lets_a_worker_only_request_a_guardian(client, cast, login):
    response = ask(client, login, cast)
    assert response.status_code == 302
    page = client.get(response.url)
    assert "klantenservice" in page.text.lower()
    request = GuardianshipRequest.objects.get()
    assert request.status == "pending" and request.requested_by == cast.sanne
    assert request.email == "opa@example.org" and request.relation == "parent"
    # Nothing that gives access exists yet, and nobody got mail.
    assert not GuardianInvitation.objects.exists()
    assert not Guardianship.objects.filter(user__email="opa@example.org").exists()
    assert not mail.outbox
    assert "opa@example.org" in page.text and "wacht op klantenservice" in page.text


def test_it_lets_a_location_manager_request_for_a_child_of_the_location(client, cast, login):
    assert ask(client, login, cast, by=cast.lotte).status_code == 302
    assert GuardianshipRequest.objects.get().requested_by == cast.lotte


def test_it_answers_404_to_a_request_outside_the_requesters_scope(client, cast, login):
    assert ask(client, login, cast, by=cast.tom).status_code == 404  # Daan is in group A
    assert ask(client, login, cast, by=cast.sanne, child=cast.finn).status_code == 404
    assert ask(client, login, cast, by=cast.anna).status_code == 404  # a parent
    assert not GuardianshipRequest.objects.exists()


def test_it_refuses_a_second_pending_request_for_the_same_address(client, cast, login):
    ask(client, login, cast)
    response = ask(client, login, cast, by=cast.lotte, email="OPA@example.org")
    assert response.status_code == 400
    assert "wacht al op klantenservice" in response.text
    assert GuardianshipRequest.objects.count() == 1


def test_it_refuses_a_request_for_someone_who_already_is_a_guardian(client, cast, login):
    response = ask(client, login, cast, email="chris@example.org")
    assert response.status_code == 400
    assert "Deze persoon is al ouder/verzorger van Daan." in response.text
    assert not GuardianshipRequest.objects.exists()


def test_it_requires_a_relation(client, cast, login):
    login(cast.sanne)
    response = client.post(f"/staff/children/{cast.daan.code}/", {"email": "opa@example.org"})
    assert response.status_code == 400
    assert not GuardianshipRequest.objects.exists()


def test_it_shows_the_queue_to_customer_service_only(client, cast, login):
    ask(client, login, cast)
    request = GuardianshipRequest.objects.get()
    for person in (cast.sanne, cast.tom, cast.lotte, cast.anna):
        login(person)
        assert client.get(QUEUE).status_code == 404
        assert client.get(f"{QUEUE}{request.code}/").status_code == 404
    login(cast.service)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert "opa@example.org" in page.text and "Daan de Vries" in page.text
    detail = client.get(f"{QUEUE}{request.code}/")
    assert detail.status_code == 200 and "Opa haalt Daan op woensdag." in detail.text
    assert "Anna de Vries" in detail.text and "Chris de Vries" in detail.text
    assert "1 verzoek wacht op uw besluit" in client.get("/staff/").text


def test_it_answers_404_to_an_approval_by_someone_who_is_not_customer_service(client, cast, login):
    ask(client, login, cast)
    request = GuardianshipRequest.objects.get()
    for person in (cast.sanne, cast.lotte, cast.tom, cast.anna, cast.chris):
        login(person)
        assert client.post(f"{QUEUE}{request.code}/approve/").status_code == 404
        assert (
            client.post(f"{QUEUE}{request.code}/refuse/", {"refuse-reason": "nee"}).status_code
            == 404
        )
    request.refresh_from_db()
    assert request.status == "pending" and not GuardianInvitation.objects.exists()


def test_it_creates_the_guardianship_only_after_approval_and_acceptance_and_tells_the_others(
    client, cast, login, django_capture_on_commit_callbacks
):
    ask(client, login, cast, relation="caregiver")
    request = GuardianshipRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(client, login, cast, request, reason="Contract gecontroleerd")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == cast.service
    invitation = GuardianInvitation.objects.get()
    assert invitation.request == request and invitation.email == "opa@example.org"
    (invite_mail,) = mail.outbox
    assert invite_mail.to == ["opa@example.org"] and invitation.token in invite_mail.body
    assert not Guardianship.objects.filter(user__email="opa@example.org").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert accept_new(client, invitation).status_code == 302
    opa = Guardianship.objects.get(user__email="opa@example.org", child=cast.daan)
    assert opa.relation == "caregiver"
    # Anna and Chris are told who was added, as what and by whom; no contact details.
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "chris@example.org"]
    for message in mail.outbox:
        assert "Daan" in message.subject
        assert "Opa de Vries" in message.body and "andere verzorger" in message.body
        assert "Klantenservice Ouderportaal" in message.body
        assert "https://www.example.org/klantenservice" in message.body
        assert "opa@example.org" not in message.body
        assert "chris@example.org" not in message.body and "anna@example.org" not in message.body
    # In the access log and in the history on the staff page.
    kinds = set(AccessEvent.objects.filter(child=cast.daan).values_list("kind", flat=True))
    assert {"guardian_requested", "guardian_approved", "guardian_added"} <= kinds
    login(cast.sanne)
    page = client.get(f"/staff/children/{cast.daan.code}/")
    assert "toegevoegd als ouder/verzorger" in page.text and "Opa de Vries" in page.text


def test_it_refuses_with_a_reason_and_the_request_can_no_longer_lead_to_access(client, cast, login):
    ask(client, login, cast)
    request = GuardianshipRequest.objects.get()
    login(cast.service)
    empty = client.post(f"{QUEUE}{request.code}/refuse/", {"refuse-reason": "  "})
    assert empty.status_code == 400 and "Dit veld is verplicht." in empty.text
    request.refresh_from_db()
    assert request.status == "pending"
    response = client.post(
        f"{QUEUE}{request.code}/refuse/", {"refuse-reason": "Geen gezag volgens het contract."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "refused" and request.reason == "Geen gezag volgens het contract."
    # A refused request cannot be approved afterwards, and no invitation exists.
    late = client.post(f"{QUEUE}{request.code}/approve/")
    assert late.status_code == 400 and "al besloten" in late.text
    assert not GuardianInvitation.objects.exists() and not mail.outbox
    # The requester reads the reason in the history of the child.
    login(cast.sanne)
    assert (
        "Geen gezag volgens het contract." in client.get(f"/staff/children/{cast.daan.code}/").text
    )
    # A new request for the address is possible again.
    assert ask(client, login, cast).status_code == 302


def test_it_makes_a_withdrawn_approval_unusable(client, cast, login):
    ask(client, login, cast)
    request = GuardianshipRequest.objects.get()
    approve(client, login, cast, request)
    invitation = GuardianInvitation.objects.get()
    response = client.post(f"{QUEUE}{request.code}/withdraw/")
    assert response.status_code == 302
    request.refresh_from_db()
    invitation.refresh_from_db()
    assert request.status == "withdrawn" and invitation.revoked_at == request.decided_at
    client.logout()
    assert client.get(f"/invitation/{invitation.token}/").status_code == 410
    assert accept_new(client, invitation).status_code == 410
    assert not Guardianship.objects.filter(user__email="opa@example.org").exists()


def test_it_lets_the_requester_withdraw_a_pending_request_and_nobody_else(client, cast, login):
    ask(client, login, cast)
    request = GuardianshipRequest.objects.get()
    login(cast.tom)
    assert client.post(f"{QUEUE}{request.code}/withdraw/").status_code == 404
    login(cast.lotte)  # sees Daan, but did not ask
    client.post(f"{QUEUE}{request.code}/withdraw/")
    request.refresh_from_db()
    assert request.status == "pending"
    login(cast.sanne)
    client.post(f"{QUEUE}{request.code}/withdraw/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    login(cast.service)
    assert client.post(f"{QUEUE}{request.code}/approve/").status_code == 400
    assert not GuardianInvitation.objects.exists()


def test_it_ends_access_on_the_next_request_when_customer_service_removes_a_guardian(
    client, cast, login, decide, django_capture_on_commit_callbacks
):
    decide(cast.daan, "photos", by=cast.anna)
    decide(cast.daan, "diary", by=cast.anna)
    chris = Guardianship.objects.get(user=cast.chris, child=cast.daan)
    chris_client = client.__class__()
    chris_client.force_login(cast.chris)
    for path in (
        f"/children/{cast.daan.code}/",
        reverse("diary:timeline", kwargs={"child_code": cast.daan.code}),
        reverse("photos:gallery", kwargs={"child_code": cast.daan.code}),
    ):
        assert chris_client.get(path).status_code == 200, path
    # A worker cannot remove; no reason, no removal.
    login(cast.sanne)
    remove = f"/staff/children/{cast.daan.code}/guardians/{chris.code}/remove/"
    assert client.post(remove, {"remove-reason": "x"}).status_code == 404
    login(cast.service)
    client.post(remove, {"remove-reason": ""})
    assert Guardianship.objects.filter(pk=chris.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"remove-reason": "Gezag beëindigd door de rechter"})
    assert response.status_code == 302
    assert not Guardianship.objects.filter(pk=chris.pk).exists()
    pages = (
        f"/children/{cast.daan.code}/",
        reverse("diary:timeline", kwargs={"child_code": cast.daan.code}),
        reverse("photos:gallery", kwargs={"child_code": cast.daan.code}),
    )
    for path in pages:
        assert chris_client.get(path).status_code == 404
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "chris@example.org"]
    to_chris = next(m for m in mail.outbox if m.to == ["chris@example.org"])
    assert "U heeft in het ouderportaal geen toegang meer tot Daan." in to_chris.body
    event = GuardianshipEvent.objects.get(kind="removed")
    assert event.subject == "Chris de Vries" and event.actor == cast.service
    assert AccessEvent.objects.filter(child=cast.daan, kind="guardian_removed").exists()
    assert (
        "Gezag beëindigd door de rechter" in client.get(f"/staff/children/{cast.daan.code}/").text
    )


def test_it_revoked_open_invitations_of_workers_when_migrating(cast):
    """Invitations a worker sent before customer service decided (issue 14) no longer open."""
    from importlib import import_module

    from django.apps import apps

    from daycare.models import GuardianInvitation as Invitation

    by_worker = Invitation.objects.create(
        token="t" * 43, email="x@example.org", child=cast.daan, invited_by=cast.sanne
    )
    by_service = Invitation.objects.create(
        token="s" * 43, email="y@example.org", child=cast.daan, invited_by=cast.service
    )
    migration = import_module("daycare.migrations.0002_guardianship_requests")
    migration.revoke_unapproved_invitations(apps, None)
    by_worker.refresh_from_db()
    by_service.refresh_from_db()
    assert not by_worker.is_open and by_service.is_open
    assert by_service.expires_at > timezone.now()


def test_it_shows_the_queue_and_the_child_page_with_a_fixed_number_of_queries(client, cast, login):
    from tests.perf.test_page_queries import count_queries

    ask(client, login, cast)
    login(cast.service)
    pages = (QUEUE, f"/staff/children/{cast.daan.code}/")
    for url in pages:
        client.get(url)
    few = [count_queries(client, url) for url in pages]
    children = (cast.daan, cast.eva, cast.mila, cast.finn)
    requests = GuardianshipRequest.objects.bulk_create(
        [
            GuardianshipRequest(
                child=children[i % 4],
                email=f"persoon{i}@example.org",
                relation=("parent", "caregiver")[i % 2],
                requested_by=(cast.sanne, cast.tom, cast.lotte)[i % 3],
                status=("pending", "refused", "approved", "withdrawn")[i % 4],
                decided_by=cast.service if i % 4 else None,
                decided_at=timezone.now() if i % 4 else None,
                reason=f"Reden {i}" if i % 4 else "",
            )
            for i in range(40)
        ]
    )
    for request in requests:
        if request.status == "approved":
            GuardianInvitation.objects.create(
                token=f"tok{request.pk}", email=request.email, child=request.child, request=request
            )
        GuardianshipEvent.objects.create(
            child=request.child,
            kind="requested",
            subject=request.email,
            relation="parent",
            actor=cast.sanne,
        )
    assert count_queries(client, QUEUE, showing="persoon", at_least=40) == few[0]
    assert count_queries(client, pages[1], showing="persoon", at_least=10) == few[1]
