"""An inbox of 500 conversations and a conversation of 1,000 messages render with a fixed
number of queries and are paginated (R12, performance)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.models import Conversation, Message, ReadMark, Side

pytestmark = pytest.mark.django_db


def conversations(cast, n, *, child=None, start=0):
    now = timezone.now()
    rows = Conversation.objects.bulk_create(
        [
            Conversation(
                child=child or (cast.daan, cast.eva, cast.mila)[i % 3],
                subject=f"Onderwerp {i}",
                started_by=cast.anna,
                last_message_at=now - timedelta(minutes=i),
                awaiting_staff_reply=i % 2 == 0,
            )
            for i in range(start, start + n)
        ]
    )
    Message.objects.bulk_create(
        [
            Message(
                conversation=c,
                author=cast.anna if c.child_id != cast.mila.pk else cast.dewi,
                side=Side.PARENT,
                body="x",
                created_at=c.last_message_at,
            )
            for c in rows
        ]
    )
    return rows


def messages(conversation, cast, n, *, start=0):
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                conversation=conversation,
                author=(cast.anna, cast.sanne)[i % 2],
                side=(Side.PARENT, Side.STAFF)[i % 2],
                body=f"Bericht {i}",
                created_at=now - timedelta(days=30) + timedelta(minutes=i),
            )
            for i in range(start, start + n)
        ]
    )


def count(client, url):
    client.get(url)  # warm up: session and per-login work happen once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_it_renders_a_staff_inbox_of_500_in_fixed_queries(client, cast, login):
    conversations(cast, 3)
    login(cast.sanne)
    url = f"/staff/messaging/groups/{cast.group_a.code}/"
    small, _html = count(client, url)
    conversations(cast, 497, start=3)
    large, html = count(client, url)
    assert large == small
    assert html.count('class="conversation-item') == 25
    assert "Pagina 1 van 20" in html
    # unanswered first
    _q, last = count(client, url + "?page=20")
    assert "Wacht op antwoord" not in last.split("conversation-list")[1]


def test_it_renders_the_parent_list_in_fixed_queries(client, cast, login):
    conversations(cast, 2, child=cast.daan)
    login(cast.anna)
    small, _html = count(client, "/messaging/")
    conversations(cast, 498, child=cast.eva, start=2)
    large, html = count(client, "/messaging/")
    assert large == small
    assert html.count('class="conversation-item') == 20


def test_it_renders_a_conversation_of_1000_messages_in_fixed_queries(client, cast, login):
    (conversation,) = conversations(cast, 1, child=cast.daan)
    messages(conversation, cast, 3)
    login(cast.anna)
    url = f"/messaging/c/{conversation.code}/"
    small, _html = count(client, url)
    messages(conversation, cast, 996, start=3)
    large, html = count(client, url)
    assert large == small
    assert html.count('class="message-item') == 50
    assert "Pagina 20 van 20" in html  # the newest messages first
    _q, oldest = count(client, url + "?page=1")
    assert "Bericht 0<" in oldest or "Bericht 0</p>" in oldest


def test_it_counts_the_badge_in_one_query(client, cast, login, rf):
    from messaging.panels import nav

    conversations(cast, 50, child=cast.daan)
    ReadMark.objects.create(
        conversation=Conversation.objects.first(),
        user=cast.chris,
        side=Side.PARENT,
        last_read_at=timezone.now(),
    )
    request = rf.get("/")
    request.user = cast.chris
    with CaptureQueriesContext(connection) as ctx:
        html = nav(request)
    assert len(ctx.captured_queries) == 2  # the staff scope (once per request) and the count
    assert 'aria-label="Berichten, 49 ongelezen berichten"' in html
    assert 'Berichten <span class="badge">49</span></a></li>' in html
