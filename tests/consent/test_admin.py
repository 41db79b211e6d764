"""R6/R7 in Django admin: decisions and acceptances are read-only; a published statement is
immutable; publishing is not an admin action (the staff page does it, R7)."""

import pytest
from django.core import mail

from consent.models import PrivacyStatement

pytestmark = pytest.mark.django_db


def test_it_shows_decisions_read_only(cast, client, login, decide):
    decision = decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.admin)
    url = f"/beheer/consent/consentdecision/{decision.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="given"' not in response.content.decode()
    assert client.post(url, {"given": ""}).status_code == 403
    assert client.get("/beheer/consent/consentdecision/add/").status_code == 403
    delete = client.post(f"/beheer/consent/consentdecision/{decision.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    decision.refresh_from_db()
    assert decision.given is True


def test_it_freezes_a_published_statement(cast, client, login, statement):
    login(cast.admin)
    url = f"/beheer/consent/privacystatement/{statement.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="text_nl"' not in page
    client.post(url, {"version": 1, "text_nl": "Anders", "text_en": "Other"})
    statement.refresh_from_db()
    assert statement.text_nl == "Privacyverklaring (test)"
    response = client.post(
        f"/beheer/consent/privacystatement/{statement.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403


def test_it_has_no_publish_action_in_admin_the_staff_page_publishes(cast, client, login, statement):
    """R7: publishing needs an effective date and a confirmation, on the privacy officer's page;
    the admin only drafts."""
    draft = PrivacyStatement.objects.create(version=2, text_nl="Nieuw", text_en="New")
    login(cast.admin)
    response = client.post(
        "/beheer/consent/privacystatement/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.published_at is None
    assert not mail.outbox
    assert response.status_code in (200, 302)
