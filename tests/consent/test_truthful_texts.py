"""Consent texts that tell the truth (issue 14): every consent text a parent reads states the
child's real state and why, on the home page, the overview and the choice pages, in Dutch and
English. An undecided co-parent was told "closed until you choose" while the photos were on."""

import html
import itertools
import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from consent.selectors import ConsentState, consent_state, rule_holds
from consent.text import _sentence

pytestmark = pytest.mark.django_db

OPEN_FOR_CHRIS = (
    "Foto's van Daan staan aan: een andere ouder heeft ja gezegd en niemand nee. "
    "Zegt u nee, dan gaan ze voor iedereen uit."
)


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_it_tells_an_undecided_co_parent_that_photos_are_on_and_why(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.chris)
    # The home page became "Vandaag" (issue 17) while this landed: its consent reminder panel
    # is checked in the lead's follow-up, not here.
    for url in (
        "/consent/",
        "/consent/choices/",
        f"/consent/children/{cast.daan.code}/photos/",
    ):
        page = text_of(client.get(url))
        assert OPEN_FOR_CHRIS in page, url
        assert "dicht tot u kiest" not in page and "closed until" not in page
    # The diary has no decision at all: closed, and saying yes opens it.
    assert (
        "Het dagboek van Daan staat dicht: nog niemand heeft gekozen. Zegt u ja, dan gaat het open."
        in text_of(client.get("/consent/"))
    )


def test_it_tells_the_truth_in_english(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.chris)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    expected = (
        "Photos of Daan are on: another guardian said yes and nobody said no. "
        "If you say no, they go off for everyone."
    )
    # The home page became "Vandaag" (issue 17) while this landed: its consent reminder panel
    # is checked in the lead's follow-up, not here.
    for url in (
        "/consent/",
        "/consent/choices/",
        f"/consent/children/{cast.daan.code}/photos/",
    ):
        assert expected in text_of(client.get(url)), url


def test_it_says_a_later_choice_keeps_what_the_others_chose(cast, client, login, decide):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.chris)
    response = client.post("/consent/choices/", {"later": "1", "next": "/"}, follow=True)
    page = text_of(response)
    assert "alleen aan waar een andere ouder ja heeft gezegd en niemand nee" in page
    assert "blijven foto's en het dagboek dicht" not in page.lower()


ANSWERS = {None: None, "yes": True, "no": False}


@pytest.mark.parametrize(
    ("anna", "chris"), list(itertools.product(ANSWERS, ANSWERS)), ids=lambda v: str(v)
)
def test_it_states_the_real_state_for_every_pair_of_answers(
    cast, client, login, decide, anna, chris
):
    """Anna's overview for each combination of her and Chris's latest answer: the sentence says
    on exactly when the rule says on, and names who said what."""
    for who, answer in ((cast.anna, anna), (cast.chris, chris)):
        if answer is not None:
            decide(cast.daan, "photos", ANSWERS[answer], by=who)
    login(cast.anna)
    page = text_of(client.get("/consent/"))
    state = consent_state(cast.daan, "photos")
    on = "Foto's van Daan staan aan" in page
    off = "Foto's van Daan staan uit" in page
    assert on != off
    assert on == (state == ConsentState.GIVEN)
    if anna == "yes":
        assert "u heeft ja gezegd" in page
    if anna == "no":
        assert "u heeft nee gezegd" in page or "u en een andere ouder hebben nee gezegd" in page
    if chris == "no":
        assert any(
            phrase in page
            for phrase in (
                "een andere ouder nee",
                "een andere ouder heeft nee gezegd",
                "u en een andere ouder hebben nee gezegd",
            )
        )
    if anna is None and chris is None:
        assert "nog niemand heeft gekozen" in page


@given(
    own=st.sampled_from([None, True, False]),
    others=st.lists(st.booleans(), max_size=4),
    purpose=st.sampled_from(["photos", "diary"]),
)
def test_it_never_says_on_when_the_rule_says_off(own, others, purpose):
    """The sentence for any own answer and any answers of other guardians agrees with the
    consent rule itself, and what it says a "no" or "yes" would do is what the rule does."""
    with translation.override("en"):
        sentence = _sentence(
            purpose, "Daan", own=own, others_yes=True in others, others_no=False in others
        )
    decisions = [*others, *([own] if own is not None else [])]
    state = rule_holds(decisions)
    says_on = any(word in sentence for word in (" are on:", " is open:"))
    assert says_on == (state == ConsentState.GIVEN)
    if says_on:  # a no from this guardian would close it for everyone
        assert rule_holds([*others, False]) == ConsentState.REFUSED
        assert "for everyone" in sentence
    if "If you say yes, they go on." in sentence or "If you say yes, it opens." in sentence:
        assert rule_holds([*others, True]) == ConsentState.GIVEN
    if "stay off while" in sentence or "stays closed while" in sentence:
        assert rule_holds([*others, True]) == ConsentState.REFUSED
