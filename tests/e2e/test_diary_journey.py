"""Journey 2 (R9): sanne writes Daan's day on a tablet (quick-fill meal, sleep and mood) and one
shared note for Daan and Eva; anna reads both in Daan's timeline on her phone and adds a note
for the staff, which sanne finds on her staff home."""

import datetime
import time
import zoneinfo

import pytest
from playwright.sync_api import expect

from consent.models import Purpose
from diary.models import DiaryEntry
from tests.e2e.conftest import PHONE, check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TABLET = {"width": 820, "height": 1180}

DAY_TEXT = "Daan heeft vandaag een toren van blokken gebouwd."
SHARED_TEXT = "We zijn naar de kinderboerderij geweest en hebben de geiten gevoerd."
PARENT_TEXT = "Daan heeft vannacht slecht geslapen, hij is misschien wat moe."


@pytest.fixture
def diary_consent(cast, decide):
    """Anna said yes to the diary for Daan and Eva; Mila's parents have not decided."""
    for child in (cast.daan, cast.eva):
        decide(child, Purpose.DIARY, by=cast.anna)


@pytest.fixture
def not_at_midnight():
    """Every entry is for today: don't let the date change halfway through the journey."""
    now = datetime.datetime.now(AMSTERDAM)
    if now.time() >= datetime.time(23, 58):
        time.sleep(125 - now.second - (now.minute - 58) * 60)


def test_it_carries_sannes_diary_to_anna_and_annas_note_back(
    open_page, cast, diary_consent, not_at_midnight
):
    sanne = open_page(TABLET)
    log_in(sanne, "sanne@example.org")
    sanne.goto("/staff/")
    check_page(sanne)
    sanne.get_by_role("link", name="Dagboek van Groep A").click()
    expect(sanne.get_by_role("heading", name="Dagboek · Groep A")).to_be_visible()
    check_page(sanne)
    group_url = sanne.url

    # The day of one child: quick-fill items and a text.
    sanne.get_by_role("link", name="Daan de Vries").click()
    expect(sanne.get_by_role("heading", name="Dag beschrijven")).to_be_visible()
    check_page(sanne)
    sanne.get_by_label("Lunch", exact=True).check()
    sanne.get_by_label("Bijna alles op", exact=True).check()
    sanne.get_by_label("Wat (niet verplicht)").fill("pasta")
    sanne.get_by_label("In slaap gevallen").fill("12:30")
    sanne.get_by_label("Wakker geworden").fill("14:05")
    sanne.get_by_label("Vrolijk", exact=True).check()
    sanne.get_by_label("Tekst", exact=True).fill(DAY_TEXT)
    sanne.get_by_role("button", name="Opslaan in het dagboek").click()
    expect(sanne.get_by_text("Opgeslagen in het dagboek van Daan.")).to_be_visible()
    expect(sanne.get_by_role("heading", name="Aanvullen")).to_be_visible()
    check_page(sanne)

    # One note for two children with diary consent; Mila's parents have not decided.
    sanne.goto(group_url)
    # A link styled as a button (role="button"), as big as a tile for a finger.
    sanne.get_by_role("button", name="Eén bericht voor meerdere kinderen").click()
    expect(sanne.get_by_role("heading", name="Eén bericht voor meerdere kinderen")).to_be_visible()
    check_page(sanne)
    sanne.get_by_label("Daan", exact=False).check()
    sanne.get_by_label("Eva", exact=False).check()
    sanne.get_by_label("Uitstapje", exact=True).check()
    sanne.get_by_label("Tekst", exact=True).fill(SHARED_TEXT)
    sanne.get_by_role("button", name="Controleer wie het bericht krijgt").click()
    preview = sanne.locator("section.preview")
    expect(preview.get_by_role("heading", name="Controleer voor het opslaan")).to_be_visible()
    expect(preview.get_by_text("Daan de Vries")).to_be_visible()
    expect(preview.get_by_text("Eva de Vries")).to_be_visible()
    check_page(sanne)
    preview.get_by_role("button", name="Bericht opslaan").click()
    sanne.wait_for_url(group_url)
    expect(
        sanne.get_by_text("Het bericht is toegevoegd aan het dagboek van", exact=False)
    ).to_be_visible()
    check_page(sanne)

    anna = open_page(PHONE)
    log_in(anna, "anna@example.org")
    check_page(anna)
    expect(anna.get_by_role("heading", name="Daan vandaag")).to_be_visible()
    anna.get_by_role("link", name="Het hele dagboek, week voor week").click()
    anna.wait_for_url(f"**/diary/{cast.daan.code}/")
    expect(anna.get_by_role("heading", name="Dagboek van Daan")).to_be_visible()
    today = anna.locator("article.diary-day").first
    expect(today.get_by_text("Lunch")).to_be_visible()
    expect(today.get_by_text("pasta", exact=False)).to_be_visible()
    expect(today.get_by_text("12:30 – 14:05")).to_be_visible()
    expect(today.get_by_text("Uitstapje")).to_be_visible()
    expect(today.get_by_text(DAY_TEXT)).to_be_visible()
    expect(today.get_by_text(SHARED_TEXT)).to_be_visible()
    check_page(anna)

    anna.get_by_role("textbox", name="Bericht voor de leiding").fill(PARENT_TEXT)
    anna.get_by_role("button", name="Bericht toevoegen").click()
    # The form posts to .../note/ and redirects back to the timeline: wait for the message.
    expect(anna.get_by_text("Uw bericht is aan het dagboek toegevoegd.")).to_be_visible()
    anna.wait_for_url(f"**/diary/{cast.daan.code}/")
    expect(anna.locator(".diary-note-parent").get_by_text(PARENT_TEXT)).to_be_visible()
    check_page(anna)

    sanne.goto("/staff/")
    notes = sanne.locator("ul.parent-notes")
    expect(notes.get_by_text(PARENT_TEXT)).to_be_visible()
    expect(notes.get_by_role("link", name="Daan")).to_be_visible()
    check_page(sanne)

    entries = DiaryEntry.objects.filter(day__child=cast.daan)
    assert sorted(entries.values_list("kind", flat=True)) == ["parent", "staff", "staff"]
    assert DiaryEntry.objects.filter(day__child=cast.eva, text=SHARED_TEXT).count() == 1
    assert not DiaryEntry.objects.filter(day__child=cast.mila).exists()
