"""Journey 6 (R12): anna sends a message about Daan, sanne answers it from her group's inbox,
anna reads the answer."""

import pytest
from playwright.sync_api import expect

from messaging.models import Conversation
from tests.e2e.conftest import DESKTOP, PHONE, check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "Slaapje na de lunch"
QUESTION = "Daan sliep slecht vannacht. Mag hij vandaag wat eerder naar bed?"
ANSWER = "Dat is goed, we leggen hem om 12:30 neer."


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_carries_annas_message_to_sanne_and_her_answer_back(open_page, cast, viewport):
    anna = open_page(viewport)
    log_in(anna, "anna@example.org")
    anna.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    check_page(anna)
    anna.get_by_role("button", name="Nieuw bericht").click()
    check_page(anna)
    anna.get_by_label("Over").select_option(label="Daan de Vries")
    anna.get_by_label("Onderwerp").fill(SUBJECT)
    anna.get_by_label("Bericht").fill(QUESTION)
    anna.get_by_role("button", name="Versturen").click()
    anna.wait_for_url("**/messaging/c/**")
    expect(anna.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(anna.get_by_text(QUESTION)).to_be_visible()
    check_page(anna)
    conversation_url = anna.url

    sanne = open_page(viewport)
    log_in(sanne, "sanne@example.org")
    sanne.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    check_page(sanne)
    sanne.get_by_role("link", name="Groep A (Kindercentrum De Zonnebloem): 1", exact=False).click()
    check_page(sanne)
    sanne.get_by_role("link", name=SUBJECT).click()
    expect(sanne.get_by_text(QUESTION)).to_be_visible()
    check_page(sanne)
    sanne.get_by_label("Bericht").fill(ANSWER)
    sanne.get_by_role("button", name="Versturen").click()
    sanne.get_by_text(ANSWER).wait_for()
    check_page(sanne)

    anna.goto(conversation_url)
    expect(anna.get_by_text(ANSWER)).to_be_visible()
    expect(anna.locator(".side-staff").get_by_text("Sanne", exact=False)).to_have_count(1)
    check_page(anna)
    conversation = Conversation.objects.get()
    assert (conversation.child, conversation.subject) == (cast.daan, SUBJECT)
    assert conversation.messages.count() == 2
