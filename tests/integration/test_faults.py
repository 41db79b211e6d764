"""Faults without surprises (issue 21), on the real stack.

- Redis down: people can still log in (parents, staff with two-factor) and ask for a password
  reset; a logout during the outage stays a logout once Redis is back.
- S3 cut (a relay in front of moto): the variants of photos whose task ran during the outage
  are made once it is back (retries with backoff), photos whose task was lost altogether are
  taken up by the sweeper, and meanwhile the lightbox gets a downscaled rendering.
"""

import io
import time

import pytest
import requests
from PIL import Image

from tests.integration.conftest import CSRF, Person, jpeg, wait_for
from tests.integration.test_photo_flow import tag, upload

pytestmark = pytest.mark.integration


def test_it_lets_people_log_in_and_reset_their_password_while_redis_is_down(stack, services):
    services.stop_redis()
    try:
        dewi = Person(stack.url(0)).log_in("dewi@example.org")  # asserts the login worked
        assert dewi.get("/").status_code == 200
        # Staff log in with password and two-factor code (the used-code check is a cache add).
        sanne = Person(stack.url(1)).log_in("sanne@example.org")
        assert sanne.get("/staff/").status_code == 200
        stranger = Person(stack.url(0))
        reset = stranger.post_form(
            "/accounts/password/reset/", {"email": "anna@example.org"}, allow_redirects=False
        )
        assert reset.status_code == 302, reset.status_code
        assert "/accounts/password/reset/done/" in reset.headers["Location"]
    finally:
        services.start_redis()


def test_it_keeps_a_logout_during_a_redis_outage(stack, services):
    dewi = Person(stack.url(0)).log_in("dewi@example.org")
    assert dewi.get("/").status_code == 200  # the session is in use (and was cached, before)
    cookie = dewi.cookies.get("sessionid")
    assert cookie

    services.stop_redis()
    try:
        page = dewi.get("/")
        token = CSRF.search(page.text).group(1)
        response = dewi.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": stack.url(0) + "/"},
            allow_redirects=False,
        )
        assert response.status_code == 302
    finally:
        services.start_redis()

    for node in (0, 1):
        old = requests.Session()
        old.cookies.set("sessionid", cookie)
        response = old.get(f"{stack.url(node)}/", allow_redirects=False, timeout=10)
        assert response.status_code == 302, f"node {node + 1}: the old cookie works again"
        assert "/accounts/login/" in response.headers["Location"]


def _with_variants(services, codes: list[str]) -> int:
    return services.scalar(
        "select count(*) from photos_photo where code = any(%s)"
        " and thumb_key <> '' and display_key <> ''",
        (codes,),
    )


def test_it_makes_the_variants_of_photos_whose_task_met_an_s3_outage(relayed_stack, services):
    stack = relayed_stack
    codes = stack.codes()
    stack.processes["worker"].kill()  # the tasks wait in Redis while the photos arrive
    sanne = Person(stack.url(0)).log_in("sanne@example.org")
    photo_codes, batch = upload(
        sanne, codes["groep_a"], [jpeg((3200, 2400), seed=n) for n in range(3)]
    )
    tag(sanne, codes["groep_a"], batch, photo_codes, codes["mila"])

    # Before the variants exist, the lightbox gets the display size, made on the spot.
    dewi = Person(stack.url(1)).log_in("dewi@example.org")
    response = dewi.get(f"/photos/p/{photo_codes[0]}/display/", allow_redirects=False)
    assert response.status_code == 200, response.status_code
    assert Image.open(io.BytesIO(response.content)).size == (1200, 1600)  # not 2400 x 3200
    assert "no-store" in response.headers["Cache-Control"]

    stack.relay.cut()
    stack.start_worker()
    wait_for(
        lambda: "storage unavailable" in stack.processes["worker"].log_text(),
        timeout=30,
        what="the variants task to meet the outage",
    )
    time.sleep(5)
    assert _with_variants(services, photo_codes) == 0
    stack.relay.restore()
    started = time.monotonic()
    wait_for(
        lambda: _with_variants(services, photo_codes) == len(photo_codes),
        timeout=150,
        what="the variants once S3 is back",
    )
    print(f"variants complete {time.monotonic() - started:.1f} s after S3 came back")


def test_it_sweeps_up_photos_whose_variants_task_was_lost(relayed_stack, services):
    stack = relayed_stack
    codes = stack.codes()
    stack.processes["worker"].kill()
    sanne = Person(stack.url(0)).log_in("sanne@example.org")
    photo_codes, _batch = upload(sanne, codes["groep_a"], [jpeg(seed=n) for n in range(2)])
    purged = stack.run_python("from portal.celery import app; print(app.control.purge())")
    assert int(purged.strip()) >= len(photo_codes)  # the tasks are gone for good
    stack.start_worker()
    started = time.monotonic()
    wait_for(
        lambda: _with_variants(services, photo_codes) == len(photo_codes),
        timeout=90,
        what="the sweeper to take the photos up",
    )
    print(f"swept and complete after {time.monotonic() - started:.1f} s")
