"""Issue 19, finding 7 (ASVS 2.4.1): consent-change e-mails had no limit (10 flips in 10 s sent
10 e-mails to the other guardian; a scanner sent 846). Now each guardian gets at most one per
quarter hour: the first change at once, later ones grouped into one e-mail at the end of it."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from consent.tasks import send_due_consent_notices_task

pytestmark = pytest.mark.django_db


def flip(client, cast, capture, given):
    with capture(execute=True):
        response = client.post(
            f"/consent/children/{cast.daan.code}/photos/", {"given": "yes" if given else "no"}
        )
    assert response.status_code == 302


def test_it_sends_the_other_guardian_one_e_mail_for_ten_flips(
    cast, client, login, decide, django_capture_on_commit_callbacks
):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.anna)
    start = timezone.now()
    for second in range(10):
        with time_machine.travel(start + timezone.timedelta(seconds=second), tick=False):
            flip(client, cast, django_capture_on_commit_callbacks, given=second % 2 == 1)
    assert [m.to for m in mail.outbox] == [["chris@example.org"]]
    # The grouped e-mail for the other nine goes at the end of the quarter hour, not before.
    almost = start + timezone.timedelta(minutes=14, seconds=59)
    with (
        time_machine.travel(almost, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_consent_notices_task()
    assert len(mail.outbox) == 1
    with (
        time_machine.travel(start + timezone.timedelta(minutes=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_due_consent_notices_task() == 1
        send_due_consent_notices_task()  # nothing left: no second copy
    assert [m.to for m in mail.outbox] == [["chris@example.org"]] * 2
    assert all("Daan" not in m.body and "/consent/" in m.body for m in mail.outbox)


def test_it_tells_a_change_after_a_quiet_quarter_hour_at_once(
    cast, client, login, decide, django_capture_on_commit_callbacks
):
    decide(cast.daan, "photos", True, by=cast.anna)
    login(cast.anna)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        flip(client, cast, django_capture_on_commit_callbacks, given=False)
    with time_machine.travel(start + timezone.timedelta(minutes=16), tick=False):
        flip(client, cast, django_capture_on_commit_callbacks, given=True)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_due_consent_notices_task() == 0
    assert len(mail.outbox) == 2
