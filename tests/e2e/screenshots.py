"""Screenshots of the main pages on a phone (390 x 844, Dutch, Europe/Amsterdam), on the demo
data, saved to docs/screenshots/. Not part of the suite (pytest collects ``test_*.py`` only);
run it on purpose:

    .venv/bin/python -m pytest tests/e2e/screenshots.py -p no:randomly

It seeds the demo exactly as ``make demo`` does (``seed_demo``, then ``run_retention`` so that
Sem is archived and Lieke destroyed), adds three data requests for the customer service queue,
then walks through the pages as the demo accounts. Each shot is the whole page when it is
short enough, the first screen otherwise, so the files stay small.
"""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from daycare.models import Child, Group
from photos.models import Photo
from tests.e2e.conftest import CHROMIUM_ARGS, PHONE, chromium_path, log_in, open_lightbox

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Taller than this and the shot is the first screen only (a long statement, a long timeline).
MAX_FULL_HEIGHT = 2600


@pytest.fixture(scope="session")
def browser(playwright):
    """Chromium in Dutch, so that what the browser draws itself (date fields, the file button)
    is Dutch as on a Dutch phone. Needs Debian's chromium-l10n (``bin/system-deps
    chromium-l10n``); without it those controls stay English."""
    browser = playwright.chromium.launch(
        executable_path=chromium_path(),
        args=[*CHROMIUM_ARGS, "--lang=nl-NL"],
        env={**os.environ, "LANGUAGE": "nl"},
    )
    yield browser
    browser.close()


@pytest.fixture
def demo(cast):
    call_command("seed_demo", "--force", stdout=StringIO())
    call_command("run_retention", stdout=StringIO())
    for user in cast.users.values():
        user.refresh_from_db()
    return cast


@pytest.fixture
def data_requests(demo):
    """Three requests in the queue (one fresh, one in progress, one near its deadline) and
    one of fleur's, answered, for her page."""
    from retention.models import DataRequest
    from retention.services import request_close, request_file, request_take

    request_file(
        user=demo.fleur,
        kind=DataRequest.Kind.ACCESS,
        child=demo.noor,
        explanation="Ik wil graag alle gegevens van Noor zien.",
    )
    taken = request_file(
        user=demo.dewi,
        kind=DataRequest.Kind.CORRECTION,
        child=None,
        explanation="Mijn telefoonnummer is veranderd.",
    )
    request_take(request=taken, user=demo.service)
    soon = request_file(
        user=demo.bram,
        kind=DataRequest.Kind.ERASURE,
        child=None,
        explanation="Graag mijn oude e-mailadres wissen.",
    )
    answered = request_file(
        user=demo.fleur,
        kind=DataRequest.Kind.CORRECTION,
        child=None,
        explanation="Mijn achternaam is Visser, niet Vissers.",
    )
    request_close(
        request=answered,
        user=demo.service,
        outcome="Uw naam is verbeterd. Dank u voor het doorgeven.",
    )
    received = timezone.now() - timedelta(days=24)
    DataRequest.objects.filter(pk=soon.pk).update(
        received_at=received, deadline=timezone.localdate(received) + timedelta(days=28)
    )


def shoot(page, name: str) -> None:
    """Save ``docs/screenshots/<name>.png`` once the page has settled."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    for image in page.locator("main img[loading=lazy]").all():
        image.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => [...document.images].every((img) => img.complete)")
    height = page.evaluate("document.documentElement.scrollHeight")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUT / f"{name}.png", full_page=height <= MAX_FULL_HEIGHT)
    assert not page.console_errors, page.console_errors


def test_it_takes_the_screenshots(open_page, demo, data_requests):
    mila = demo.mila
    group_a = Group.objects.get(name="Groep A")

    # First login: anna has not accepted the statement yet (as in the demo).
    anna = open_page(PHONE)
    anna.goto("/accounts/login/")
    shoot(anna, "01-login")
    log_in(anna, "anna@example.org")
    anna.wait_for_url("**/consent/statement/**")
    shoot(anna, "02-privacy-statement")
    anna.get_by_role(
        "button", name="Ik heb de privacyverklaring gelezen en ga ermee akkoord"
    ).click()
    anna.wait_for_url("**/consent/choices/**")
    shoot(anna, "03-consent-choices")

    # Dewi said yes to photos and diary for Mila: her pages show the parent side.
    dewi = open_page(PHONE)
    log_in(dewi, "dewi@example.org")
    dewi.goto("/")
    shoot(dewi, "04-parent-home")
    dewi.goto(reverse("diary:timeline", args=[mila.code]))
    shoot(dewi, "05-diary-timeline")
    dewi.goto(reverse("absences:report", args=[mila.code]))
    shoot(dewi, "08-absence-report")
    dewi.goto(reverse("messaging:index"))
    dewi.locator("main a[href*='/messaging/c/']").first.click()
    dewi.wait_for_url("**/messaging/c/**")
    shoot(dewi, "09-messages-conversation")
    dewi.goto("/consent/")
    shoot(dewi, "10-consent-overview")

    # Bram's Finn has the most photos.
    bram = open_page(PHONE)
    log_in(bram, "bram@example.org")
    finn = Child.objects.get(first_name="Finn")
    bram.goto(reverse("photos:gallery", args=[finn.code]))
    shoot(bram, "06-photo-gallery")
    open_lightbox(bram)
    bram.locator(".pswp--open").wait_for()
    bram.wait_for_function(
        "() => [...document.querySelectorAll('.pswp--open .pswp__img')]"
        ".some((img) => img.complete && img.naturalWidth > 0)"
        " && getComputedStyle(document.querySelector('.pswp__bg')).opacity >= 0.8"
        " && getComputedStyle(document.querySelector('.pswp__counter')).opacity >= 0.85"
    )
    bram.screenshot(path=OUT / "07-photo-lightbox.png")

    # Fleur: Noor left 3 weeks ago (banner, download), Sem is archived, Lieke destroyed.
    fleur = open_page(PHONE)
    log_in(fleur, "fleur@example.org")
    fleur.goto("/")
    shoot(fleur, "11-retention-banner")
    fleur.goto("/retention/")
    shoot(fleur, "12-my-data")

    sanne = open_page(PHONE)
    log_in(sanne, "sanne@example.org")
    sanne.goto("/staff/")
    shoot(sanne, "13-staff-home")
    sanne.goto(reverse("photos_staff:upload", args=[group_a.code]))
    shoot(sanne, "14-staff-photo-upload")
    batch = Photo.objects.filter(group=group_a).values_list("batch", flat=True).first()
    sanne.goto(reverse("photos_staff:tag", args=[group_a.code]) + f"?batch={batch}")
    shoot(sanne, "15-staff-photo-tags")
    sanne.goto(reverse("diary_staff:child", args=[mila.code]))
    shoot(sanne, "16-staff-diary-day")

    service = open_page(PHONE)
    log_in(service, "service@example.org")
    service.goto(reverse("retention_staff:requests"))
    shoot(service, "17-service-data-requests")
    service.locator(".request-queue a").first.click()
    service.wait_for_url("**/staff/retention/requests/*/")
    shoot(service, "18-service-data-request")


TABLET = {"width": 820, "height": 1180}


def test_it_takes_the_tablet_screenshots(open_page, demo, tmp_path):
    """Issue 17, staff on a tablet: the upload queue (stored, refused, waiting for the
    connection) and the group diary grid, each at tablet width and on a phone."""
    from PIL import Image

    from consent.models import Purpose
    from consent.services import consent_decide
    from daycare.models import Guardianship

    group_a = Group.objects.get(name="Groep A")
    for child in Child.objects.filter(group=group_a):
        guardian = Guardianship.objects.filter(child=child).order_by("pk").first()
        consent_decide(child=child, purpose=Purpose.DIARY, given=True, decided_by=guardian.user)
    files = []
    for number, colour in enumerate(("#43aa8b", "#f9c74f", "#577590", "#f94144")):
        path = tmp_path / f"IMG_20{number:02d}.jpg"
        Image.new("RGB", (1200, 900), colour).save(path, "JPEG")
        files.append(path)
    broken = tmp_path / "IMG_2099.jpg"
    broken.write_bytes(b"not a photo at all")

    for viewport, suffix in ((TABLET, "tablet"), (PHONE, "phone")):
        sanne = open_page(viewport)
        log_in(sanne, "sanne@example.org")
        sanne.goto(reverse("photos_staff:upload", args=[group_a.code]))
        sanne.get_by_label("Foto's (JPEG, PNG of HEIC", exact=False).set_input_files(
            [*files[:2], broken]
        )
        sanne.locator("#upload-list .upload-item.is-failed").wait_for()
        sanne.locator("#upload-list .upload-item.is-done").nth(1).wait_for()
        sanne.context.set_offline(True)
        sanne.get_by_label("Foto's (JPEG, PNG of HEIC", exact=False).set_input_files(files[2:])
        sanne.locator("#upload-list .upload-item.is-waiting").nth(1).wait_for()
        sanne.locator("#upload-connection").wait_for()
        OUT.mkdir(parents=True, exist_ok=True)
        sanne.evaluate("window.scrollTo(0, 0)")
        sanne.screenshot(path=OUT / f"19-staff-upload-queue-{suffix}.png", full_page=True)
        sanne.context.set_offline(False)
        sanne.locator("#upload-list .upload-item.is-done").nth(3).wait_for()
        sanne.console_errors.clear()  # the refused file's 400 was on purpose

        sanne.goto(reverse("diary_staff:grid", args=[group_a.code]))
        sanne.get_by_label("Lunch", exact=True).check()
        everyone = sanne.locator("#grid-all")
        everyone.get_by_label("Bijna alles op", exact=True).check()
        everyone.get_by_label("In slaap gevallen").fill("12:30")
        everyone.get_by_label("Wakker geworden").fill("14:00")
        sanne.locator(".grid-row").last.get_by_label("De helft op", exact=True).check()
        shoot(sanne, f"20-staff-diary-grid-{suffix}")
