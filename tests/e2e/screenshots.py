"""Screenshots of the main pages on a phone (390 x 844, Dutch, Europe/Amsterdam) and some on a
tablet (820 x 1180), on the demo data, saved to docs/screenshots/. Not part of the suite (pytest
collects ``test_*.py`` only); run it on purpose:

    .venv/bin/python -m pytest tests/e2e/screenshots.py -p no:randomly

It seeds the demo exactly as ``make demo`` does (``seed_demo``, then ``run_retention`` so that
Sem is archived and Lieke destroyed), adds three data requests for the customer service queue,
a day that is going on (today's diary and photos, written through the app's services), a held
group photo for the face review, two guardian requests and a night's consent check, then walks
through the pages as the demo accounts. Each shot is the whole page when it is short enough,
the first screen otherwise, so the files stay small.
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
from tests.photos.group_photos import group_photo

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Taller than this and the shot is the first screen only (a long statement, a long timeline).
MAX_FULL_HEIGHT = 2600
TABLET = {"width": 820, "height": 1180}


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


@pytest.fixture
def staff_queues(demo):
    """Customer service's other queues: two guardian requests (one waiting, one refused) and
    two nightly checks of the consent projection, yesterday's and today's."""
    from consent.models import VerificationRun
    from consent.verification import verify
    from daycare.models import Relation
    from daycare.services import guardianship_request_create, guardianship_request_refuse

    guardianship_request_create(
        child=demo.daan,
        email="opa.devries@example.org",
        relation=Relation.CAREGIVER,
        requested_by=demo.sanne,
        note="Opa haalt Daan op dinsdag en donderdag op.",
    )
    refused = guardianship_request_create(
        child=demo.mila,
        email="buurvrouw@example.org",
        relation=Relation.CAREGIVER,
        requested_by=demo.sanne,
        note="De buurvrouw haalt Mila soms op.",
    )
    guardianship_request_refuse(
        request=refused,
        decided_by=demo.service,
        reason="Voor ophalen is geen account nodig; Dewi geeft het door bij de groep.",
    )
    earlier = verify()
    yesterday = timedelta(days=1)
    VerificationRun.objects.filter(pk=earlier.pk).update(
        started_at=earlier.started_at - yesterday, finished_at=earlier.finished_at - yesterday
    )
    verify()


def upload(group, worker, data: bytes, children, name="IMG_0001.jpg") -> Photo:
    """A photo through the app's own upload and tagging (variants and faces made at once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from photos.services import photo_batch_start, photo_tags_set, photo_upload

    batch = photo_batch_start(group=group, worker=worker)
    with transaction.atomic():
        photo = photo_upload(
            group=group,
            uploaded_by=worker,
            uploaded_file=SimpleUploadedFile(name, data, content_type="image/jpeg"),
            batch=batch,
        )
    photo_tags_set(photo=photo, children=children, tagged_by=worker)
    photo.refresh_from_db()
    return photo


def today_so_far(demo):
    """What Sanne wrote and photographed this morning for Mila, Daan and Eva (anna has made
    her choices by now), Tom's photos of Finn, and a group photo of three children with only
    two tagged: held for the face review."""
    from io import BytesIO

    from diary.services import diary_entry_write
    from photos.demo import _picture

    today = timezone.localdate()
    days = {
        demo.mila: (
            "Mila heeft met de blokken een hoge toren gebouwd en hem zelf weer omgegooid.",
            {
                "meals": [
                    {"moment": "breakfast", "amount": "all", "what": "brood met banaan"},
                    {"moment": "morning_snack", "amount": "most", "what": "appel"},
                ],
                "nappies": [{"time": "09:40", "kind": "wet"}],
                "mood": "happy",
                "activities": ["free_play", "music"],
            },
        ),
        demo.daan: (
            "Daan heeft buiten in de zandbak gespeeld en een taart van zand gemaakt.",
            {
                "meals": [{"moment": "morning_snack", "amount": "all", "what": "peer"}],
                "nappies": [{"time": "10:15", "kind": "toilet"}],
                "mood": "content",
                "activities": ["outdoor"],
            },
        ),
        demo.eva: (
            "Eva heeft lang geslapen en daarna naar een boekje gekeken.",
            {
                "meals": [{"moment": "breakfast", "amount": "half", "what": "pap"}],
                "sleep": [{"start": "09:15", "end": "10:45"}],
                "mood": "quiet",
                "activities": ["reading"],
            },
        ),
    }
    for child, (text, items) in days.items():
        diary_entry_write(author=demo.sanne, child=child, date=today, text=text, items=items)
    group_a = demo.mila.group
    for seed, child in ((41, demo.mila), (42, demo.mila), (43, demo.daan), (44, demo.eva)):
        upload(group_a, demo.sanne, _picture(seed), [child], name=f"IMG_{seed:04d}.jpg")
    finn = Child.objects.get(first_name="Finn")
    for seed in range(46, 51):  # Tom's morning in group B: a gallery of more than one row
        upload(finn.group, demo.tom, _picture(seed), [finn], name=f"IMG_{seed:04d}.jpg")
    image, _boxes = group_photo(3, 260, size=(1600, 1200), seed=0)
    data = BytesIO()
    image.save(data, "JPEG", quality=92)
    held = upload(group_a, demo.sanne, data.getvalue(), [demo.daan, demo.mila], "IMG_0045.jpg")
    assert held.held, "the group photo should wait for the face review"
    return held


def shoot(page, name: str) -> None:
    """Save ``docs/screenshots/<name>.png`` once the page has settled."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    # Scrolling loads the lazy images, and on Vandaag the earlier days (htmx), which bring
    # lazy images of their own: scroll until no new ones appear.
    seen = -1
    for _ in range(4):
        images = page.locator("main img[loading=lazy]").all()
        if len(images) == seen:
            break
        seen = len(images)
        for image in images:
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
    # An image scrolled past before it started loading stays unloaded: load the rest now.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach((i) => i.loading = 'eager')"
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => [...document.images].every((img) => img.complete)")
    height = page.evaluate("document.documentElement.scrollHeight")
    OUT.mkdir(parents=True, exist_ok=True)
    if height <= MAX_FULL_HEIGHT:
        # The whole page as one tall screen: the tab bar and the sticky bars stay at the
        # bottom, where a full-page shot of the usual screen would paint them mid-page.
        viewport = page.viewport_size
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / f"{name}.png", full_page=True)
        page.set_viewport_size(viewport)
    else:
        page.screenshot(path=OUT / f"{name}.png")
    assert not page.console_errors, page.console_errors


def test_it_takes_the_screenshots(open_page, demo, data_requests, staff_queues, settings):
    from push.vapid import generate_pair

    # Push as on a configured server (keys from the environment there), so that the settings
    # page offers to switch it on for this device.
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = generate_pair()
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
    # She says yes to photos and the diary of both; then the day at the daycare goes on.
    for child in ("Daan", "Eva"):
        for purpose in ("foto’s", "dagboek"):
            anna.get_by_role("group", name=f"Toestemming voor {purpose} van {child}").get_by_label(
                "Ja, ik geef toestemming"
            ).check()
    anna.get_by_role("button", name="Mijn keuzes opslaan").click()
    anna.wait_for_url(lambda url: "/consent/choices/" not in url)
    held = today_so_far(demo)

    # Dewi said yes to photos and diary for Mila: her pages show the parent side.
    for viewport, suffix in ((TABLET, "tablet"), (PHONE, "phone")):
        dewi = open_page(viewport)  # the phone's page goes on below
        log_in(dewi, "dewi@example.org")
        dewi.goto("/")
        shoot(dewi, f"04-today-{suffix}")
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
    dewi.goto(reverse("push:settings"))
    shoot(dewi, "24-push-settings")

    # Anna has two children: the avatar row switches between them. Meer holds the rest.
    anna.goto("/")
    anna.get_by_role("navigation", name="Uw kinderen").get_by_role("link", name="Eva").click()
    anna.get_by_role("heading", name="Eva vandaag").wait_for()
    shoot(anna, "21-today-second-child")
    anna.goto(reverse("more"))
    shoot(anna, "22-more")

    # Bram's Finn has the most photos.
    bram = open_page(PHONE)
    log_in(bram, "bram@example.org")
    finn = Child.objects.get(first_name="Finn")
    gallery = reverse("photos:gallery", args=[finn.code])
    bram.goto(gallery)
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
    bram.goto(gallery)
    bram.get_by_role("link", name="Selecteren").click()
    bram.wait_for_url("**select=1**")
    for number in (0, 3):
        bram.locator("#photo-grid input[name=photo]").nth(number).check()
    shoot(bram, "23-photo-gallery-select")

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
    sanne.goto(reverse("photos_staff:faces", args=[group_a.code, held.code]))
    shoot(sanne, "26-staff-face-review")

    service = open_page(PHONE)
    log_in(service, "service@example.org")
    service.goto(reverse("retention_staff:requests"))
    shoot(service, "17-service-data-requests")
    service.locator(".request-queue a").first.click()
    service.wait_for_url("**/staff/retention/requests/*/")
    shoot(service, "18-service-data-request")
    service.goto(reverse("daycare_staff:guardian_requests"))
    shoot(service, "25-service-guardian-requests")
    service.goto(reverse("consent_staff:verification"))
    shoot(service, "27-service-consent-verification")


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
