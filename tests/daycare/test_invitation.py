"""Guardians join by invitation: an e-mail with a link to set a password (public sign-up closed)."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import User
from daycare.models import GuardianInvitation, Guardianship

pytestmark = pytest.mark.django_db


def invite(client, login, cast, email, child=None):
    login(cast.sanne)
    child = child or cast.daan
    return client.post(f"/staff/children/{child.code}/", {"email": email})


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
    invite(client, login, cast, "oma@example.org")
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
    assert Guardianship.objects.filter(user=oma, child=cast.daan).exists()
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
    client.post(f"/invitation/{invitation.token}/")
    assert not Guardianship.objects.filter(user=cast.bram, child=cast.daan).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_an_expired_invitation(client, cast, login):
    invite(client, login, cast, "oma@example.org")
    invitation = GuardianInvitation.objects.get()
    client.logout()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        assert client.get(f"/invitation/{invitation.token}/").status_code == 410


def test_it_answers_404_for_an_unknown_invitation(client, db):
    assert client.get("/invitation/forged-token-value/").status_code == 404


def test_it_refuses_an_invitation_for_a_child_of_another_group(client, cast, login):
    login(cast.sanne)
    response = client.post(f"/staff/children/{cast.finn.code}/", {"email": "x@example.org"})
    assert response.status_code == 404
    assert not GuardianInvitation.objects.exists()


def test_it_refuses_to_invite_someone_who_is_already_a_guardian(client, cast, login):
    response = invite(client, login, cast, "chris@example.org")
    assert response.status_code == 200
    assert not GuardianInvitation.objects.exists()


def test_it_refuses_an_invalid_email(client, cast, login):
    response = invite(client, login, cast, "not-an-email")
    assert response.status_code == 200
    assert not GuardianInvitation.objects.exists()


def test_it_sends_an_invitation_added_in_django_admin_like_the_staff_page(
    client, cast, login, django_capture_on_commit_callbacks
):
    login(cast.admin)
    add = "/beheer/daycare/guardianinvitation/add/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"email": "Opa@Example.org", "child": cast.daan.pk})
    assert response.status_code == 302
    invitation = GuardianInvitation.objects.get()
    assert invitation.email == "opa@example.org"
    assert len(invitation.token) >= 40 and invitation.invited_by == cast.admin
    (message,) = mail.outbox
    assert message.to == ["opa@example.org"] and invitation.token in message.body
    # A second one for the same person works too (tokens are unique, not empty).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add, {"email": "opa@example.org", "child": cast.daan.pk})
    assert GuardianInvitation.objects.count() == 2 and len(mail.outbox) == 2


def test_it_refuses_in_admin_to_invite_someone_who_already_is_a_guardian(client, cast, login):
    login(cast.admin)
    response = client.post(
        "/beheer/daycare/guardianinvitation/add/",
        {"email": "ANNA@example.org", "child": cast.daan.pk},
    )
    assert response.status_code == 200
    assert "Deze persoon is al ouder/verzorger van Daan." in response.text
    assert not GuardianInvitation.objects.exists() and not mail.outbox
