"""Issue 19, finding 7 (ASVS 2.4.1): a parent could make the portal send "confirm your e-mail"
messages to other people's addresses, ten a minute. Now at most five an hour per account, and
per address one per three minutes and three a day."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

pytestmark = pytest.mark.django_db


def confirmations(address=None):
    return [m for m in mail.outbox if address is None or m.to == [address]]


def test_it_limits_confirmation_e_mails_per_account(cast, client, login):
    login(cast.anna, reauthenticated=True)
    for number in range(8):
        client.post("/accounts/email/", {"email": f"buur{number}@example.net", "action_add": ""})
    sent_to = {m.to[0] for m in mail.outbox}
    assert len(sent_to) == 5, sent_to
    assert cast.anna.emailaddress_set.count() <= 6  # the refused ones are not added either


def test_it_limits_confirmation_e_mails_per_address(cast, client, login):
    login(cast.anna, reauthenticated=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/email/", {"email": "buur@example.net", "action_add": ""})
        client.post("/accounts/email/", {"email": "buur@example.net", "action_send": ""})
    assert len(confirmations("buur@example.net")) == 1
    for minutes in (4, 8, 12, 16):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            login(cast.anna, reauthenticated=True)
            client.post("/accounts/email/", {"email": "buur@example.net", "action_send": ""})
    assert len(confirmations("buur@example.net")) == 3  # a day's worth
