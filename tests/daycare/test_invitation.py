"""Guardians join by invitation: an e-mail with a link to set a password (public sign-up closed).
Invitations come only from a request approved by customer service (test_guardian_requests.py);
here customer service adds a guardian directly, which is approved in the same step."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from daycare.models import GuardianInvitation, Guardianship

pytestmark = pytest.mark.django_db


def invite(client, login, cast, email, child=None, relation="parent"):
    login(cast.service)
    child = child or cast.daan
    return client.post(f"/staff/children/{child.code}/", {"email": email, "relation": relation})


def test_it_invites_a_new_guardian_by_email(
    client, cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, login, cast, "oma@example.org")
    assert response.status_code == 302
    invitation = GuardianInvitation.objects.get(email="oma@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["oma@example.org"]
    assert invitation.token in message.body
    assert "uitgenodigd" in message.subject.lower()
    assert "Daan" not in message.body  # no child data in e-mails beyond what is needed


def test_it_creates_the_account_and_links_the_child_on_acceptance(client, cast, login):
    invite(client, login, cast, "oma@example.org", relation="caregiver")
    invitation = GuardianInvitation.objects.get()
    client.logout()
    page = client.get(f"/invitation/{invitation.token}/")
    assert page.status_code == 200 and "Daan" in page.text
    response = client.post(
        f"/invitation/{invitation.token}/",
        {
            "first_name": "Oma",
            "last_name": "de Vries",
            "password1": "zonnige-dag-42",
            "password2": "zonnige-dag-42",
        },
    )
    assert response.status_code == 302
    oma = User.objects.get(email="oma@example.org")
    guardianship = Guardianship.objects.get(user=oma, child=cast.daan)
    assert guardianship.relation == "caregiver"
    assert "Daan" in client.get("/").text
    assert client.get(f"/invitation/{invitation.token}/").status_code == 410


def test_it_refuses_a_weak_or_mismatched_password_and_creates_nothing(client, cast, login):
    invite(client, login, cast, "oma@example.org")
    invitation = GuardianInvitation.objects.get()
    client.logout()
    for p1, p2 in [("12345678901", "12345678901"), ("zonnige-dag-42", "zonnige-dag-43")]:
        page = client.post(
            f"/invitation/{invitation.token}/",
            {"first_name": "Oma", "last_name": "V", "password1": p1, "password2": p2},
        )
        assert page.status_code == 200
    assert not User.objects.filter(email="oma@example.org").exists()


def test_it_links_an_existing_account_after_login(client, cast, login):
    invite(client, login, cast, "dewi@example.org", child=cast.daan)
    invitation = GuardianInvitation.objects.get()
    client.logout()
    page = client.get(f"/invitation/{invitation.token}/")
    assert "Log in" in page.text or "Inloggen" in page.text
    login(cast.dewi, two_factor=False)
    client.post(f"/invitation/{invitation.token}/")
    assert Guardianship.objects.filter(user=cast.dewi, child=cast.daan).exists()


def test_it_refuses_an_invitation_accepted_by_another_logged_in_account(client, cast, login):
    invite(client, login, cast, "dewi@example.org")
    invitation = GuardianInvitation.objects.get()
    login(cast.bram, two_factor=False)
    page = client.post(f"/invitation/{invitation.token}/", follow=True)
    assert "ander e-mailadres" in page.text
    assert not Guardianship.objects.filter(user=cast.bram, child=cast.daan).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_an_expired_invitation(client, cast, login):
    invite(client, login, cast, "oma@example.org")
    invitation = GuardianInvitation.objects.get()
    client.logout()
    with time_machine.travel(invitation.expires_at - timezone.timedelta(seconds=1)):
        assert client.get(f"/invitation/{invitation.token}/").status_code == 200
    with time_machine.travel(invitation.expires_at):
        assert client.get(f"/invitation/{invitation.token}/").status_code == 410
        response = client.post(
            f"/invitation/{invitation.token}/",
            {
                "first_name": "Oma",
                "last_name": "V",
                "password1": "zonnige-dag-42",
                "password2": "zonnige-dag-42",
            },
        )
        assert response.status_code == 410
    assert not User.objects.filter(email="oma@example.org").exists()


def test_it_answers_404_for_an_unknown_invitation(client, db):
    assert client.get("/invitation/forged-token-value/").status_code == 404


def test_it_refuses_a_request_for_a_child_of_another_group(client, cast, login):
    login(cast.sanne)
    response = client.post(
        f"/staff/children/{cast.finn.code}/", {"email": "x@example.org", "relation": "parent"}
    )
    assert response.status_code == 404
    assert not GuardianInvitation.objects.exists()


def test_it_refuses_to_invite_someone_who_is_already_a_guardian(client, cast, login):
    response = invite(client, login, cast, "chris@example.org")
    assert response.status_code == 400
    assert "Deze persoon is al ouder/verzorger van Daan." in response.text
    assert not GuardianInvitation.objects.exists()


def test_it_refuses_an_invalid_email(client, cast, login):
    response = invite(client, login, cast, "not-an-email")
    assert response.status_code == 400
    assert not GuardianInvitation.objects.exists()


def test_it_offers_no_way_to_add_invitations_or_guardians_in_django_admin(client, cast, login):
    """Admin shows guardians and invitations but cannot make them: that would bypass customer
    service's approval and the e-mail to the other guardians (R27)."""
    login(cast.admin)
    for path in (
        "/beheer/daycare/guardianinvitation/add/",
        "/beheer/daycare/guardianship/add/",
        "/beheer/daycare/guardianshiprequest/add/",
    ):
        assert client.get(path).status_code == 403
        assert (
            client.post(path, {"email": "opa@example.org", "child": cast.daan.pk}).status_code
            == 403
        )
    guardianship = Guardianship.objects.get(user=cast.chris, child=cast.daan)
    assert (
        client.post(f"/beheer/daycare/guardianship/{guardianship.pk}/delete/", {"post": "yes"})
    ).status_code == 403
    assert Guardianship.objects.filter(pk=guardianship.pk).exists()
    assert not GuardianInvitation.objects.exists() and not mail.outbox
