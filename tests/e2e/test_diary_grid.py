"""Issue 17: sanne fills in lunch and the nap for the whole of group A on a tablet (the grid with
the same quick-fill chips), then adds details per child with "next child". Mila's parents have
not decided about the diary: she has no row and the page says why."""

import pytest
from playwright.sync_api import expect

from consent.models import Purpose
from diary.models import DiaryEntry
from tests.e2e.conftest import check_page, log_in

from .test_diary_journey import TABLET, not_at_midnight  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_fills_in_the_group_then_steps_through_the_children(
    open_page,
    cast,
    decide,
    not_at_midnight,  # noqa: F811
):
    for child in (cast.daan, cast.eva):
        decide(child, Purpose.DIARY, by=cast.anna)
    sanne = open_page(TABLET)
    log_in(sanne, "sanne@example.org")
    sanne.goto("/staff/")
    sanne.get_by_role("link", name="Dagboek van Groep A").click()
    sanne.get_by_role("button", name="Maaltijden en slaap voor de groep").click()
    expect(sanne.get_by_role("heading", name="Maaltijden en slaap · Groep A")).to_be_visible()
    check_page(sanne)
    expect(sanne.locator(".grid-off")).to_contain_text("Mila Bakker")
    expect(sanne.locator(".grid-row")).to_have_count(2)

    sanne.get_by_label("Lunch", exact=True).check()
    everyone = sanne.locator("#grid-all")
    everyone.get_by_label("Bijna alles op", exact=True).check()
    everyone.get_by_label("In slaap gevallen").fill("12:30")
    everyone.get_by_label("Wakker geworden").fill("14:00")
    daan = sanne.locator(".grid-row", has_text="Daan de Vries")
    eva = sanne.locator(".grid-row", has_text="Eva de Vries")
    # "For everyone" filled in both rows at once; Eva ate less today.
    expect(daan.get_by_label("Bijna alles op", exact=True)).to_be_checked()
    expect(eva.get_by_label("Bijna alles op", exact=True)).to_be_checked()
    expect(eva.get_by_label("In slaap gevallen (Eva)")).to_have_value("12:30")
    eva.get_by_label("De helft op", exact=True).check()
    daan.get_by_label("Wakker geworden (Daan)").fill("14:15")
    check_page(sanne)
    sanne.get_by_role("button", name="Opslaan voor de groep, dan details per kind").click()

    sanne.wait_for_url(f"**/staff/diary/children/{cast.daan.code}/**")
    expect(sanne.get_by_text("Opgeslagen voor Daan, Eva.")).to_be_visible()
    check_page(sanne)
    sanne.get_by_label("Vrolijk", exact=True).check()
    sanne.get_by_role("button", name="Opslaan, dan Eva").click()
    sanne.wait_for_url(f"**/staff/diary/children/{cast.eva.code}/**")
    expect(sanne.get_by_role("link", name="Terug naar de groep")).to_be_visible()
    check_page(sanne)

    def items(child):
        return sorted(
            (entry.items for entry in DiaryEntry.objects.filter(day__child=child)),
            key=len,
            reverse=True,
        )

    assert items(cast.daan) == [
        {
            "meals": [{"moment": "lunch", "amount": "most", "what": ""}],
            "sleep": [{"start": "12:30", "end": "14:15"}],
        },
        {"mood": "happy"},
    ]
    assert items(cast.eva) == [
        {
            "meals": [{"moment": "lunch", "amount": "half", "what": ""}],
            "sleep": [{"start": "12:30", "end": "14:00"}],
        }
    ]
    assert not DiaryEntry.objects.filter(day__child=cast.mila).exists()
