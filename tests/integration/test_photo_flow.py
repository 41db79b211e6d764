"""Photos on the real stack: sanne uploads through web node 1, the real Celery worker makes the
variants in the S3 bucket, dewi sees them through web node 2 (signed S3 URLs), withdraws her
consent, and they are gone on both nodes at once (R5, R10, R22)."""

import io
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image

from tests.integration.conftest import CSRF, Person, jpeg, wait_for

pytestmark = pytest.mark.integration


def upload(sanne, group: str, photos: list[bytes]) -> list[str]:
    page = sanne.get(f"/staff/photos/group/{group}/upload/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    # The server issues the batch (issue 19, finding 9), as it does for upload.js.
    batch = sanne.post(
        f"/staff/photos/group/{group}/upload/batch/",
        data={"csrfmiddlewaretoken": token},
        headers={"X-Requested-With": "fetch", "Referer": page.url},
    ).json()["batch"]
    codes = []
    for number, data in enumerate(photos):
        response = sanne.post(
            f"/staff/photos/group/{group}/upload/",
            data={"csrfmiddlewaretoken": token, "batch": batch},
            files={"photos": (f"IMG_{number:04d}.JPG", data, "image/jpeg")},
            headers={"X-Requested-With": "fetch", "Referer": page.url},
        )
        assert response.status_code == 200, response.text[:500]
        codes.append(response.json()["photo"])
    return codes, batch


def tag(sanne, group: str, batch: str, codes: list[str], child: str):
    data = []
    for code in codes:
        data += [("photo", code), (f"tags-{code}", child)]
    page = f"/staff/photos/group/{group}/?batch={batch}"
    response = sanne.post_form(page, data, page=page)
    assert response.ok, response.status_code


def test_it_uploads_on_one_node_and_shows_the_variants_on_the_other(stack, person, services):
    codes = stack.codes()
    sanne = person("sanne@example.org", node=0)
    photo_codes, batch = upload(
        sanne, codes["groep_a"], [jpeg(seed=n, gps=n == 0) for n in range(3)]
    )
    tag(sanne, codes["groep_a"], batch, photo_codes, codes["mila"])

    # The variants come from the real worker, into the bucket.
    def variants_made():
        rows = services.sql(
            "select count(*) from photos_photo where code = any(%s) and display_key <> '' "
            "and thumb_key <> ''",
            (photo_codes,),
        )
        return rows[0][0] == len(photo_codes)

    wait_for(variants_made, timeout=60, what="the worker to make the variants")
    keys = {
        key
        for row in services.sql(
            "select original_key, display_key, thumb_key from photos_photo where code = any(%s)",
            (photo_codes,),
        )
        for key in row
    }
    assert keys <= services.bucket_keys()

    dewi = person("dewi@example.org", node=1)
    gallery = dewi.get(f"/photos/child/{codes['mila']}/")
    assert gallery.status_code == 200
    assert all(code in gallery.text for code in photo_codes)
    for size in ("thumb", "display", "original"):
        response = dewi.get(f"/photos/p/{photo_codes[0]}/{size}/", allow_redirects=False)
        assert response.status_code == 302
        signed = response.headers["Location"]
        assert signed.startswith(services.s3_url) and "X-Amz-Signature=" in signed
        image = requests.get(signed, timeout=10)
        assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    original = Image.open(io.BytesIO(requests.get(signed, timeout=10).content))
    assert original.size == (900, 1200)  # the EXIF rotation was applied
    assert not original.getexif()  # no EXIF, so no GPS position

    # The bucket itself is private: the same object without a signature is refused.
    assert requests.get(signed.split("?")[0], timeout=10).status_code == 403

    # Dewi withdraws photo consent for Mila on node 1; node 2 answers accordingly at once.
    withdraw = dewi.__class__(stack.url(0))
    withdraw.cookies = dewi.cookies
    response = withdraw.post_form(f"/consent/children/{codes['mila']}/photos/", {"given": "no"})
    assert response.ok
    gallery = dewi.get(f"/photos/child/{codes['mila']}/")
    assert not any(code in gallery.text for code in photo_codes)
    for size in ("thumb", "display", "original"):
        assert dewi.get(f"/photos/p/{photo_codes[0]}/{size}/").status_code == 404


def test_it_ends_a_signed_url_within_its_lifetime_after_a_withdrawal(stack_with, services):
    """Finding 7 of issue 21: with MEDIA_DELIVERY=signed-url a link handed out just before a
    withdrawal works at most MEDIA_SIGNED_URL_SECONDS (2 s here, 10 s by default); the portal's
    own URL answers 404 at once and hands out no new link.

    What this cannot show: the bucket refusing the old link once its time is up. moto's server
    (5.2.5 here) checks only that a query string contains "Signature=" (moto/s3/responses.py,
    ``signed_url = "Signature=" in request.url``): neither the signature nor X-Amz-Date plus
    X-Amz-Expires, so an expired or altered link still gets 200 from it. S3 refuses a SigV4 link
    after X-Amz-Date + X-Amz-Expires (403, "Request has expired"), and both values are covered by
    the signature. So the test proves what the link carries: signed now, for 2 seconds, and
    that the portal issues none after the withdrawal."""
    stack = stack_with(MEDIA_SIGNED_URL_SECONDS="2")
    codes = stack.codes()
    bram = Person(stack.url(0)).log_in("bram@example.org")
    consent = f"/consent/children/{codes['finn']}/photos/"
    assert bram.post_form(consent, {"given": "yes"}).ok
    gallery = bram.get(f"/photos/child/{codes['finn']}/")
    photo = re.search(r"/photos/p/([\w-]+)/thumb/", gallery.text).group(1)
    # The withdrawal form is ready on the other web node, so that it follows the link at once.
    other = Person(stack.url(1))
    other.cookies = bram.cookies
    token = CSRF.search(other.get(consent).text).group(1)

    asked = datetime.now(UTC).replace(microsecond=0)
    response = bram.get(f"/photos/p/{photo}/display/", allow_redirects=False)
    assert response.status_code == 302
    assert "no-store" in response.headers["Cache-Control"]  # no browser keeps the redirect
    signed = response.headers["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["2"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert asked - timedelta(seconds=1) <= signed_at <= datetime.now(UTC)
    image = requests.get(signed, timeout=10)
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    assert image.headers["Cache-Control"] == "private, no-store"  # nor the image itself

    # Bram withdraws photo consent on the other web node, while the link still works.
    withdrawal = other.post(
        consent,
        data={"csrfmiddlewaretoken": token, "given": "no"},
        headers={"Referer": other.base + consent},
    )
    withdrawn_at = datetime.now(UTC)
    assert withdrawal.ok and withdrawal.history, withdrawal.status_code  # saved, redirected
    started = time.monotonic()
    for node in (bram, other):
        for size in ("thumb", "display", "original"):
            answer = node.get(f"/photos/p/{photo}/{size}/", allow_redirects=False)
            assert answer.status_code == 404 and "Location" not in answer.headers
    print(f"signed URL: both nodes answer 404 {time.monotonic() - started:.2f} s after withdrawal")
    # The link issued before the withdrawal is valid until X-Amz-Date + X-Amz-Expires (both
    # signed): at most MEDIA_SIGNED_URL_SECONDS after the withdrawal.
    ends = signed_at + timedelta(seconds=int(query["X-Amz-Expires"][0]))
    assert ends - withdrawn_at <= timedelta(seconds=2)
    print(
        f"signed URL: issued {(withdrawn_at - signed_at).total_seconds():.2f} s before the"
        f" withdrawal, its signature ends {(ends - withdrawn_at).total_seconds():.2f} s after it"
    )
    assert bram.post_form(consent, {"given": "yes"}).ok  # as the demo had it
