"""Journey 1 (R1, R7): anna's first login. She accepts the privacy statement, makes her consent
choices per child and lands on her home page; once with a mouse on a phone and a desktop, once
with the keyboard alone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consent.models import ConsentDecision, PrivacyStatement
from tests.e2e.conftest import DESKTOP, PHONE, check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

YES = "Ja, ik geef toestemming"
NO = "Nee, ik geef geen toestemming"
# What anna chooses: photos of Daan yes, his diary no; Eva yes and yes.
CHOICES = {
    ("Daan", "foto’s"): YES,
    ("Daan", "dagboek"): NO,
    ("Eva", "foto’s"): YES,
    ("Eva", "dagboek"): YES,
}


@pytest.fixture
def new_statement(cast):
    """A published statement nobody has accepted yet: every parent's next login is a first one."""
    return PrivacyStatement.objects.create(
        version=1,
        text_nl="## Privacyverklaring\n\nWij gaan zorgvuldig om met de gegevens van uw kind.",
        text_en="## Privacy statement\n\nWe take care of your child's data.",
        published_at=timezone.now() - timezone.timedelta(days=1),
    )


def choice_group(page, child, purpose):
    return page.get_by_role("group", name=f"Toestemming voor {purpose} van {child}")


def accept_statement(page):
    assert "/consent/statement/" in page.url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)
    page.get_by_role(
        "button", name="Ik heb de privacyverklaring gelezen en ga ermee akkoord"
    ).click()
    page.wait_for_url("**/consent/choices/**")


def assert_anna_decided(cast):
    decisions = {
        (d.child.first_name, d.purpose): d.given
        for d in ConsentDecision.objects.filter(decided_by=cast.anna).select_related("child")
    }
    assert decisions == {
        ("Daan", "photos"): True,
        ("Daan", "diary"): False,
        ("Eva", "photos"): True,
        ("Eva", "diary"): True,
    }


def assert_home(page):
    assert page.url.endswith("/")
    expect(page.get_by_role("heading", name="Daan vandaag")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Uw kinderen").get_by_role("link", name="Eva")
    ).to_be_visible()
    check_page(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_takes_anna_from_the_statement_through_her_choices_to_her_home(
    open_page, cast, new_statement, viewport
):
    page = open_page(viewport)
    log_in(page, "anna@example.org")
    accept_statement(page)

    expect(page.get_by_role("heading", name="Uw privacykeuzes")).to_be_visible()
    check_page(page)
    # Nothing is preselected (R1): saving without answers is refused and saves nothing.
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_text("Er is nog niets opgeslagen.", exact=False)).to_be_visible()
    expect(page.get_by_text("Kies ja of nee.").first).to_be_visible()
    assert not ConsentDecision.objects.exists()
    check_page(page)

    for (child, purpose), answer in CHOICES.items():
        choice_group(page, child, purpose).get_by_label(answer).check()
    page.get_by_role("button", name="Mijn keuzes opslaan").click()
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/consent/choices/"))

    assert_home(page)
    assert_anna_decided(cast)


def test_it_lets_anna_make_her_choices_with_the_keyboard_alone(page, cast, new_statement):
    log_in(page, "anna@example.org")
    accept_statement(page)

    def tab_to(description, matches, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => {
                  const el = document.activeElement;
                  const group = el.closest("fieldset.choice");
                  const style = getComputedStyle(el);
                  return {
                    tag: el.tagName, type: el.type || "", text: (el.textContent || "").trim(),
                    label: el.labels && el.labels[0] ? el.labels[0].textContent.trim() : "",
                    group: group ? group.querySelector("legend").textContent.trim() : "",
                    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
                  };
                }"""
            )
            if matches(focused):
                # A keyboard user sees where they are (WCAG 2.4.7).
                assert focused["outline"], f"no visible focus on {description}"
                return
        raise AssertionError(f"Tab never reached {description}")

    for (child, purpose), answer in CHOICES.items():
        legend = f"Toestemming voor {purpose} van {child}"
        # Tab enters a radio group on its first option ("yes"); an arrow key moves to "no",
        # as in every browser's radio group.
        tab_to(legend, lambda f, legend=legend: f["type"] == "radio" and f["group"] == legend)
        if answer == YES:
            page.keyboard.press("Space")
        else:
            page.keyboard.press("ArrowDown")
        expect(choice_group(page, child, purpose).get_by_label(answer)).to_be_checked()

    tab_to("the save button", lambda f: f["tag"] == "BUTTON" and f["text"] == "Mijn keuzes opslaan")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/consent/choices/"))

    assert_home(page)
    assert_anna_decided(cast)
