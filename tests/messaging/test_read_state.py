"""Read state per person (R12): unread = messages of others since one's last visit; staff count
the family's messages. A property test against a plain model of the rule."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging import selectors, services
from messaging.models import Conversation, Side

pytestmark = pytest.mark.django_db

PEOPLE = {"anna": Side.PARENT, "chris": Side.PARENT, "sanne": Side.STAFF, "lotte": Side.STAFF}
actions = st.lists(
    st.tuples(st.sampled_from(["send", "read"]), st.sampled_from(sorted(PEOPLE))), max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_it_counts_unread_messages_per_person(cast, time_machine, steps):
    from django.core.cache import cache

    cache.clear()
    Conversation.objects.filter(child=cast.daan).delete()
    time_machine.move_to("2026-11-25 10:00:00+01:00", tick=False)
    conversation = services.messaging_start(
        child=cast.daan, author=cast.anna, side=Side.PARENT, subject="s", body="begin"
    )
    sent = [("anna", Side.PARENT)]  # (author, side) in order
    read_upto = {"anna": 1}
    for action, person in steps:
        time_machine.shift(timedelta(seconds=1))
        user = getattr(cast, person)
        if action == "send":
            services.messaging_reply(
                conversation=conversation, author=user, side=PEOPLE[person], body="x"
            )
            sent.append((person, PEOPLE[person]))
            read_upto[person] = len(sent)
        else:
            conversation.refresh_from_db()
            services.messaging_mark_read(conversation=conversation, user=user, side=PEOPLE[person])
            read_upto[person] = len(sent)
    for person, side in PEOPLE.items():
        staff = side == Side.STAFF
        expected = sum(
            1
            for author, message_side in sent[read_upto.get(person, 0) :]
            if author != person and (not staff or message_side == Side.PARENT)
        )
        user = getattr(cast, person)
        unread_total = (
            selectors.unread_total_for_staff if staff else selectors.unread_total_for_parent
        )
        with_unread = selectors.with_unread_for_staff if staff else selectors.with_unread_for_parent
        assert unread_total(user) == expected, (person, steps)
        (row,) = with_unread(Conversation.objects.filter(pk=conversation.pk), user)
        assert row.unread == expected


def test_it_tells_the_family_when_the_staff_have_read(client, cast, ask, login):
    _response, conversation = ask(cast.anna, cast.daan, "Vraag", "Hallo")
    assert "✓ Verstuurd" in client.get(f"/messaging/c/{conversation.code}/").content.decode()
    login(cast.lotte)
    client.get(f"/staff/messaging/c/{conversation.code}/")
    login(cast.anna)
    page = client.get(f"/messaging/c/{conversation.code}/").content.decode()
    assert "✓✓ Gelezen door de medewerkers" in page
    assert "Gelezen door de medewerkers" in client.get("/messaging/").content.decode()
