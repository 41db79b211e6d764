"""The nightly check of the consent projection (issue 16): every child and photo recomputed
from the decisions, differences closed at once and repaired, a record for customer service."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.models import CurrentConsent, Purpose, VerificationRun
from consent.verification import close, compare, repair, verify
from daycare.models import Child
from photos.models import Photo, PhotoTag
from portal.celery import app

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE = "/staff/consent/verification/"


def test_it_runs_every_night_from_beat():
    entries = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}
    schedule = entries["consent.tasks.verify_projection_task"]["schedule"]
    assert schedule.hour == {4} and schedule.minute == {45}


def test_it_checks_every_child_and_photo_and_leaves_a_record(cast, consented, make_photo):
    make_photo(cast.daan, cast.mila)
    make_photo(cast.finn)
    run = verify()
    assert (run.children, run.photos, run.differences) == (Child.objects.count(), 2, 0)
    assert run.finished_at is not None and run.kinds == {}
    assert mail.outbox == []


def test_it_closes_repairs_logs_and_mails_every_difference(
    cast, consented, make_photo, decide, caplog, settings
):
    pair = make_photo(cast.daan, cast.mila)
    decide(cast.mila, Purpose.PHOTOS, given=False)
    # Broken past the projection: Mila's state and the photo say "yes" again.
    CurrentConsent.objects.filter(child=cast.mila, purpose=Purpose.PHOTOS).update(state="given")
    Photo.objects.filter(pk=pair.pk).update(shareable=True)
    PhotoTag.objects.filter(photo=pair).update(shareable=True)
    with caplog.at_level(logging.INFO, logger="consent.verification"):
        run = verify()
    assert run.differences == 4
    assert run.kinds == {"child": 1, "photo": 1, "tag": 2}
    assert not Photo.objects.get(pk=pair.pk).shareable
    assert CurrentConsent.objects.get(child=cast.mila, purpose=Purpose.PHOTOS).state == "refused"
    assert compare().differences == []
    [message] = mail.outbox
    assert message.to == [settings.CUSTOMER_SERVICE_EMAIL]
    assert "4 verschillen" in message.subject
    text = message.subject + message.body + caplog.text
    for name in ("Mila", "Daan", "Bakker", pair.code):
        assert name not in text  # no personal data in the e-mail or the log
    assert "4 differences closed and repaired" in caplog.text


def test_it_closes_at_once_before_repairing(cast, consented, make_photo, decide):
    pair = make_photo(cast.daan, cast.mila)
    Photo.objects.filter(pk=pair.pk).update(shareable=False)  # wrongly closed
    decide(cast.daan, Purpose.PHOTOS, given=True)  # still right elsewhere
    Photo.objects.filter(pk=pair.pk).update(shareable=False)
    differences = compare().differences
    assert [d.kind for d in differences] == ["photo"]
    confirmed = close(differences)
    assert confirmed == differences
    assert not PhotoTag.objects.filter(photo=pair, shareable=True).exists()
    repair(confirmed)
    assert Photo.objects.get(pk=pair.pk).shareable
    assert compare().differences == []


def test_it_does_not_count_a_difference_that_is_gone_when_confirmed(cast, consented, make_photo):
    pair = make_photo(cast.daan, cast.mila)
    Photo.objects.filter(pk=pair.pk).update(shareable=False)
    differences = compare().differences
    Photo.objects.filter(pk=pair.pk).update(shareable=True)  # a write fixed it meanwhile
    assert close(differences) == []
    assert Photo.objects.get(pk=pair.pk).shareable


def test_it_shows_customer_service_what_each_night_checked(cast, login, client, consented):
    with time_machine.travel(datetime(2026, 12, 4, 4, 45, tzinfo=AMSTERDAM), tick=False):
        verify()
    login(cast.service)
    page = client.get(PAGE).content.decode()
    children = Child.objects.count()
    assert f"4 december 2026: {children} kinderen en 0 foto" in page
    assert "s gecontroleerd, 0 verschillen" in page
    home = client.get("/staff/").content.decode()
    assert PAGE in home


def test_it_shows_the_runs_in_a_fixed_number_of_queries(cast, login, client):
    login(cast.service)
    VerificationRun.objects.create(
        children=10_000, photos=3_000_000, finished_at=datetime.now(tz=AMSTERDAM)
    )
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        text = client.get(PAGE).content.decode()
    assert "10.000 kinderen en 3.000.000 foto" in text
    VerificationRun.objects.bulk_create(
        [
            VerificationRun(children=n, photos=n, differences=n % 2, kinds={"tag": n % 2})
            for n in range(30)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["anna", "bram", "sanne", "tom", "lotte"])
def test_it_answers_404_to_parents_workers_and_managers(cast, login, client, name):
    login(cast.users[name])
    assert client.get(PAGE).status_code == 404
    if name in ("sanne", "tom", "lotte"):
        assert PAGE not in client.get("/staff/").content.decode()


def test_it_sends_strangers_to_the_login_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login/" in response.url
