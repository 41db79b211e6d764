"""Journey 7 (R16, R20, R21): anna asks to see the data about Daan; customer service takes the
request from the queue, prepares the export and closes it with an outcome; anna reads the
outcome on "Mijn gegevens" and downloads the ZIP. And fleur, whose Noor left 3 weeks ago, sees
until when she can look and downloads everything of Noor from the banner."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retention import schedule
from retention.models import DataRequest, Export
from tests.e2e.conftest import DESKTOP, check_page, log_in, reauthenticate

pytestmark = pytest.mark.django_db(transaction=True)

EXPLANATION = "Ik wil graag zien welke gegevens u over Daan bewaart."
OUTCOME = "De export met alle gegevens van Daan staat voor u klaar onder Downloads."


def long_date(day: datetime.date) -> str:
    """A date as the Dutch pages write it ("j F Y"): 5 maart 2026."""
    months = "januari februari maart april mei juni juli augustus september oktober november"
    months = [*months.split(), "december"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def assert_zip(download, *, contains: str) -> list[str]:
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert archive.testzip() is None
    assert any(contains in name for name in names), names
    return names


def test_it_carries_annas_access_request_through_customer_service_to_her_download(
    open_page, cast, statement
):
    anna = open_page()
    log_in(anna, "anna@example.org")
    anna.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Meer").click()
    anna.get_by_role("link", name="Mijn gegevens").click()
    anna.wait_for_url("**/retention/")
    expect(anna.get_by_role("heading", name="Mijn gegevens", level=1)).to_be_visible()
    check_page(anna)

    anna.get_by_role("button", name="Verzoek indienen").click()
    anna.wait_for_url("**/retention/requests/new/")
    expect(anna.get_by_role("heading", name="Verzoek over uw gegevens indienen")).to_be_visible()
    check_page(anna)
    anna.get_by_role("group", name="Wat vraagt u?").get_by_label("inzage", exact=False).check()
    anna.get_by_label("Over wie?").select_option(label="Daan")
    anna.get_by_label("Toelichting").fill(EXPLANATION)
    anna.get_by_role("button", name="Verzoek versturen").click()
    anna.wait_for_url("**/retention/")
    expect(anna.get_by_text("We hebben uw verzoek ontvangen.", exact=False)).to_be_visible()
    request_item = anna.locator(".retention-list li", has_text="Inzage")
    expect(request_item.get_by_text("ontvangen", exact=True)).to_be_visible()
    check_page(anna)
    data_request = DataRequest.objects.get()
    assert (data_request.requested_by, data_request.child) == (cast.anna, cast.daan)
    assert data_request.kind == DataRequest.Kind.ACCESS

    service = open_page()
    log_in(service, "service@example.org")
    service.goto("/staff/")
    service.get_by_role("link", name="Verzoeken over gegevens").click()
    service.wait_for_url("**/staff/retention/requests/")
    check_page(service)
    queue_item = service.locator(".request-queue li").filter(has_text="Inzage")
    expect(queue_item).to_have_count(1)
    expect(queue_item.get_by_text("ontvangen", exact=True)).to_be_visible()
    expect(queue_item.get_by_text(long_date(data_request.deadline))).to_be_visible()
    queue_item.get_by_role("link", name="Inzage (mijn gegevens bekijken)").click()
    service.wait_for_url(f"**/staff/retention/requests/{data_request.code}/")
    expect(service.get_by_text(EXPLANATION)).to_be_visible()
    expect(service.get_by_text("Daan de Vries")).to_be_visible()
    check_page(service)

    service.get_by_role("button", name="Ik behandel dit verzoek").click()
    expect(service.get_by_text("U behandelt dit verzoek nu.")).to_be_visible()
    expect(service.locator("dl.facts").get_by_text("in behandeling")).to_be_visible()
    check_page(service)

    # The export is built by the task, which runs (eagerly) when the request's transaction
    # commits, so the page after the redirect already knows it is ready.
    service.get_by_role("button", name="De volledige export voor de ouder klaarzetten").click()
    reauthenticate(service)
    expect(service.get_by_text("De export wordt klaargezet voor de ouder.")).to_be_visible()
    expect(service.get_by_text("klaar voor de ouder", exact=False)).to_be_visible()
    check_page(service)
    export = Export.objects.get()
    assert export.status == Export.Status.READY
    assert (export.requested_by, export.child, export.view_as) == (
        cast.anna,
        cast.daan,
        cast.service,
    )

    service.get_by_label("Uitkomst voor de ouder").fill(OUTCOME)
    service.get_by_role("button", name="Afsluiten: afgehandeld").click()
    expect(service.get_by_text("Het verzoek is afgesloten.")).to_be_visible()
    expect(service.locator("dl.facts").get_by_text("afgehandeld")).to_be_visible()
    expect(service.get_by_role("button", name="Afsluiten: afgehandeld")).to_have_count(0)
    check_page(service)

    # Closed requests leave the queue; they come back with "Ook afgesloten verzoeken tonen".
    service.get_by_role("link", name="Verzoeken over gegevens").first.click()
    service.wait_for_url("**/staff/retention/requests/")
    expect(service.get_by_role("link", name="Ook afgesloten verzoeken tonen")).to_be_visible()
    expect(service.locator(".request-queue li").filter(has_text="Inzage")).to_have_count(0)
    service.get_by_role("link", name="Ook afgesloten verzoeken tonen").click()
    service.wait_for_url("**/staff/retention/requests/?closed=1")
    expect(service.locator(".request-queue li").filter(has_text="afgehandeld")).to_have_count(1)
    check_page(service)

    anna.goto("/retention/")
    request_item = anna.locator(".retention-list li", has_text="Inzage")
    expect(request_item.get_by_text("afgehandeld", exact=True)).to_be_visible()
    expect(request_item.get_by_text(OUTCOME)).to_be_visible()
    expect(
        request_item.get_by_text("De export voor dit verzoek staat onder Downloads.")
    ).to_be_visible()
    check_page(anna)
    downloads = anna.locator("section", has=anna.get_by_role("heading", name="Downloads"))
    with anna.expect_download() as download_info:
        downloads.get_by_role("link", name="ZIP downloaden").click()
    assert_zip(download_info.value, contains=".json")


def test_it_shows_the_customer_service_queue_on_a_desktop(open_page, cast, statement):
    from retention.services import request_file

    request_file(
        user=cast.anna, kind=DataRequest.Kind.CORRECTION, child=None, explanation="Nieuw adres"
    )
    request_file(
        user=cast.dewi, kind=DataRequest.Kind.ERASURE, child=cast.mila, explanation="Graag wissen"
    )
    page = open_page(DESKTOP)
    log_in(page, "service@example.org")
    page.goto("/staff/retention/requests/")
    expect(page.locator(".request-queue li")).to_have_count(2)
    check_page(page)


def test_it_lets_fleur_download_everything_of_noor_before_her_access_ends(
    open_page, cast, statement
):
    noor_left = cast.noor.contracts.get().end_date
    last_day = schedule.access_ends_on(noor_left)
    page = open_page()
    log_in(page, "fleur@example.org")
    banner = page.get_by_role("complementary", name="Toegang stopt binnenkort")
    expect(banner.get_by_text(f"tot en met {long_date(last_day)}", exact=False)).to_be_visible()
    # Sem left 10 weeks ago: his data is past the window, so no banner line for him.
    expect(banner.get_by_text("Sem")).to_have_count(0)
    check_page(page)

    banner.get_by_role("button", name="Alles van Noor downloaden").click()
    reauthenticate(page)
    page.wait_for_url("**/retention/")
    expect(page.get_by_text("We zetten de download voor Noor klaar.", exact=False)).to_be_visible()
    check_page(page)
    export = Export.objects.get()
    assert (export.requested_by, export.child, export.status) == (
        cast.fleur,
        cast.noor,
        Export.Status.READY,
    )

    downloads = page.locator("section", has=page.get_by_role("heading", name="Downloads"))
    item = downloads.locator("li", has_text="Noor")
    until = long_date(timezone.localtime(export.expires_at).date())
    expect(item.get_by_text(f"beschikbaar tot {until}", exact=False)).to_be_visible()
    with page.expect_download() as download_info:
        item.get_by_role("link", name="ZIP downloaden").click()
    assert_zip(download_info.value, contains="child.json")
