"""R1/R3: the first-login choices: per child photos and diary, nothing preselected, "no" as easy
as "yes", all or nothing, and the rest of the portal stays open without consent."""

import pytest
from django.core import mail

from consent.models import Channel, ConsentDecision, StatementAcceptance
from consent.selectors import ConsentState, consent_state
from tests.consent.helpers import publish

pytestmark = pytest.mark.django_db


def answers(cast, **overrides):
    data = {
        f"{cast.daan.code}-photos": "yes",
        f"{cast.daan.code}-diary": "no",
        f"{cast.eva.code}-photos": "no",
        f"{cast.eva.code}-diary": "no",
    }
    data.update(overrides)
    return data


def test_it_walks_anna_through_her_first_login(
    cast, client, login, django_capture_on_commit_callbacks
):
    statement = publish(1)
    login(cast.anna)
    assert client.get("/")["Location"] == "/consent/statement/?next=%2F"
    response = client.post("/consent/statement/", {"version": 1, "next": "/"})
    assert response["Location"] == "/consent/choices/?next=%2F"
    page = client.get("/consent/choices/?next=%2F").content.decode()
    assert "Daan" in page and "Eva" in page
    assert "checked" not in page  # nothing preselected
    assert page.count('type="radio"') == 8
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/consent/choices/", {**answers(cast), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    decisions = ConsentDecision.objects.filter(decided_by=cast.anna)
    assert decisions.count() == 4
    assert all(d.statement == statement and d.channel == Channel.PORTAL for d in decisions)
    assert consent_state(cast.daan, "photos") == ConsentState.GIVEN
    assert consent_state(cast.daan, "diary") == ConsentState.REFUSED
    assert StatementAcceptance.objects.filter(user=cast.anna).count() == 1
    # chris, Daan's other guardian, hears of it in one e-mail without private content.
    assert [m.to for m in mail.outbox] == [["chris@example.org"]]
    assert "Daan" not in mail.outbox[0].body and "/consent/" in mail.outbox[0].body
    # Nothing left to choose: the choices page sends to the overview.
    assert client.get("/consent/choices/")["Location"] == "/consent/"


def test_it_refuses_a_submission_with_a_missing_choice_and_records_nothing(
    cast, client, login, statement
):
    login(cast.anna)
    data = answers(cast)
    del data[f"{cast.eva.code}-diary"]
    response = client.post("/consent/choices/", data)
    assert response.status_code == 400
    assert (
        "Kies ja of nee." in response.content.decode()
        or "Choose yes or no." in response.content.decode()
    )
    assert not ConsentDecision.objects.exists()


def test_it_refuses_an_unknown_choice_and_records_nothing(cast, client, login, statement):
    login(cast.anna)
    response = client.post(
        "/consent/choices/", answers(cast, **{f"{cast.eva.code}-photos": "maybe"})
    )
    assert response.status_code == 400
    assert not ConsentDecision.objects.exists()


def test_it_answers_404_to_a_forged_choice_for_a_child_that_is_not_yours(
    cast, client, login, statement
):
    login(cast.anna)
    response = client.post(
        "/consent/choices/", answers(cast, **{f"{cast.mila.code}-photos": "yes"})
    )
    assert response.status_code == 404
    assert not ConsentDecision.objects.exists()


def test_it_lets_a_parent_decide_later_and_keeps_features_closed(cast, client, login, statement):
    login(cast.anna)
    response = client.post("/consent/choices/", {"later": "1", "next": "/"})
    assert response["Location"] == "/"
    assert not ConsentDecision.objects.exists()
    assert consent_state(cast.daan, "photos") == ConsentState.UNDECIDED
    assert client.get("/").status_code == 200


def test_it_asks_only_what_this_guardian_has_not_decided(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    decide(cast.daan, "diary", True, by=cast.chris)
    login(cast.anna)
    page = client.get("/consent/choices/").content.decode()
    assert f'name="{cast.daan.code}-photos"' not in page
    assert f'name="{cast.daan.code}-diary"' in page
    assert f'name="{cast.eva.code}-photos"' in page


def test_it_explains_the_choices_in_plain_dutch(cast, client, login, statement):
    login(cast.anna)
    page = client.get("/consent/choices/").content.decode()
    assert "groepsfoto" in page
    assert "afmelden" in page and "berichten" in page and "nieuws" in page
    assert "nee" in page.lower()


@pytest.mark.parametrize("path", ["/", "/children/{daan}/", "/account/details/", "/consent/"])
def test_it_keeps_the_rest_of_the_portal_open_after_refusing(cast, client, login, decide, path):
    for child in (cast.daan, cast.eva):
        for purpose in ("photos", "diary"):
            decide(child, purpose, False, by=cast.anna)
    login(cast.anna)
    assert client.get(path.format(daan=cast.daan.code)).status_code == 200


def test_it_reminds_a_parent_on_the_home_page_until_every_choice_is_made(
    cast, client, login, decide
):
    login(cast.anna)
    assert "/consent/choices/" in client.get("/").content.decode()
    for child in (cast.daan, cast.eva):
        for purpose in ("photos", "diary"):
            decide(child, purpose, False, by=cast.anna)
    assert "/consent/choices/" not in client.get("/").content.decode()
