"""Pushes go out through the real pywebpush code to a push service on loopback, encrypted
for the browser; what the browser decrypts names only the kind and the parent's own child."""

import re
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from consent.models import Purpose
from diary.services import diary_entry_write, diary_shared_note_write
from push.models import PendingPush, PushSettings, PushSubscription
from push.services import pushes_send_due
from push.texts import payload
from tests.photos.conftest import BATCH

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=AMS)  # a Monday, outside quiet hours
# Everything a push may say: the fixed words of the kinds and the children's first names.
ALLOWED = re.compile(
    r"^(Ouderportaal|Nieuwe foto's van \w+|Nieuw in het dagboek van \w+|"
    r"Nieuw bericht over \w+|Nieuws van de opvang|Er is nieuws over uw verzoek over gegevens|"
    r"Verzoeken over gegevens naderen hun termijn|en meer)$"
)


def pushes_for(receiver, browser, name):
    """The decrypted pushes that reached the endpoint ``name``."""
    return [
        browser.decrypt(item.body) for item in receiver.received if item.path == f"/push/{name}"
    ]


def assert_only_allowed_words(push, *, own_children):
    assert set(push) == {"title", "body", "url", "tag"}
    assert push["title"] == "Ouderportaal"
    for line in push["body"].split("\n"):
        assert ALLOWED.match(line), line
        names = re.findall(r"(?:van|over) (\w+)$", line)
        assert set(names) <= set(own_children) | {"de", "gegevens"}, line
    assert push["url"] in {"/", "/messaging/", "/newsletters/", "/retention/"}


def tag_batch(client, cast, photos, children, capture):
    url = reverse("photos_staff:tag", args=[cast.group_a.code]) + f"?batch={BATCH}"
    data = {"photo": [p.code for p in photos]}
    for photo in photos:
        data[f"tags-{photo.code}"] = [child.code for child in children]
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302


@pytest.fixture
def noon():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def test_it_sends_one_push_per_upload_batch_naming_only_the_own_child(
    cast,
    consented,
    login,
    make_photo,
    subscribe,
    receiver,
    noon,
    django_capture_on_commit_callbacks,
):
    _sub, anna = subscribe(cast.anna)
    _sub, dewi = subscribe(cast.dewi)
    photos = [make_photo(group=cast.group_a) for _ in range(3)]
    tag_batch(
        login(cast.sanne), cast, photos, [cast.daan, cast.mila], django_capture_on_commit_callbacks
    )
    (to_anna,) = pushes_for(receiver, anna, "anna")
    (to_dewi,) = pushes_for(receiver, dewi, "dewi")
    assert to_anna["body"] == "Nieuwe foto's van Daan"
    assert to_dewi["body"] == "Nieuwe foto's van Mila"
    assert_only_allowed_words(to_anna, own_children={"Daan", "Eva"})
    assert_only_allowed_words(to_dewi, own_children={"Mila"})
    # The same batch tagged again (another page of it, a correction): no second push.
    more = make_photo(group=cast.group_a)
    tag_batch(login(cast.sanne), cast, [more], [cast.daan], django_capture_on_commit_callbacks)
    assert len(receiver.received) == 2
    headers = receiver.received[0].headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert int(headers["ttl"]) == 86400
    assert PushSubscription.objects.get(user=cast.anna).last_success_at == NOON


def test_it_sends_nothing_about_a_child_whose_consent_was_withdrawn_before_sending(
    cast,
    consented,
    login,
    make_photo,
    subscribe,
    receiver,
    decide,
    django_capture_on_commit_callbacks,
):
    subscribe(cast.anna)
    subscribe(cast.dewi)
    photos = [make_photo(group=cast.group_a)]
    with time_machine.travel(datetime(2026, 12, 7, 22, 0, tzinfo=AMS), tick=False):
        tag_batch(
            login(cast.sanne),
            cast,
            photos,
            [cast.daan, cast.mila],
            django_capture_on_commit_callbacks,
        )
    assert receiver.received == []  # quiet hours: held
    assert PendingPush.objects.filter(sent_at__isnull=True).count() == 2
    decide(cast.daan, Purpose.PHOTOS, given=False, by=cast.chris)
    with time_machine.travel(datetime(2026, 12, 8, 7, 0, tzinfo=AMS), tick=False):
        pushes_send_due()
    # Daan's withdrawal withholds the group photo from Mila's parents too: nobody is told.
    assert receiver.received == []
    assert not PendingPush.objects.filter(sent_at__isnull=True).exists()


def test_it_holds_a_push_through_quiet_hours_and_sends_it_when_they_end(
    cast, decide, subscribe, receiver, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    _sub, anna = subscribe(cast.anna)
    evening = datetime(2026, 12, 7, 21, 0, tzinfo=AMS)
    with (
        time_machine.travel(evening, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        diary_entry_write(
            author=cast.sanne, child=cast.daan, date=NOON.date(), text="Lekker geslapen"
        )
    assert receiver.received == []
    with time_machine.travel(datetime(2026, 12, 8, 6, 59, 59, tzinfo=AMS), tick=False):
        assert pushes_send_due() == 0
    with time_machine.travel(datetime(2026, 12, 8, 7, 0, tzinfo=AMS), tick=False):
        assert pushes_send_due() == 1
    (push,) = pushes_for(receiver, anna, "anna")
    assert push["body"] == "Nieuw in het dagboek van Daan"
    assert "geslapen" not in str(push)


def test_it_sends_one_diary_push_per_child_and_day(
    cast, decide, subscribe, receiver, noon, django_capture_on_commit_callbacks
):
    for child in (cast.daan, cast.eva):
        decide(child, Purpose.DIARY)
    _sub, anna = subscribe(cast.anna)
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="Fruit")
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="Slaap")
        diary_shared_note_write(
            author=cast.sanne, children=[cast.daan, cast.eva], date=NOON.date(), text="Uitje"
        )
    bodies = [push["body"] for push in pushes_for(receiver, anna, "anna")]
    assert bodies == ["Nieuw in het dagboek van Daan", "Nieuw in het dagboek van Eva"]


def test_it_merges_held_pushes_into_one_daily_digest(
    cast,
    decide,
    consented,
    make_photo,
    login,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    decide(cast.daan, Purpose.DIARY)
    PushSettings.objects.create(user=cast.anna, mode=PushSettings.Mode.DIGEST)
    _sub, anna = subscribe(cast.anna)
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="x")
        tag_batch(
            login(cast.sanne),
            cast,
            [make_photo(group=cast.group_a)],
            [cast.eva],
            django_capture_on_commit_callbacks,
        )
    assert receiver.received == []
    with time_machine.travel(datetime(2026, 12, 7, 18, 29, 59, tzinfo=AMS), tick=False):
        assert pushes_send_due() == 0
    with time_machine.travel(datetime(2026, 12, 7, 18, 30, tzinfo=AMS), tick=False):
        assert pushes_send_due() == 1
    (push,) = pushes_for(receiver, anna, "anna")
    assert push["body"] == "Nieuw in het dagboek van Daan\nNieuwe foto's van Eva"
    assert push["url"] == "/"
    assert_only_allowed_words(push, own_children={"Daan", "Eva"})


def test_it_sends_each_device_only_the_kinds_it_wants(
    cast, decide, subscribe, receiver, noon, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    subscribe(cast.anna, kinds=["diary"], name="phone")
    subscribe(cast.anna, kinds=["photos", "messages"], name="laptop")
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="x")
    assert [item.path for item in receiver.received] == ["/push/phone"]


@pytest.mark.parametrize("status", [404, 410])
def test_it_removes_a_subscription_the_push_service_no_longer_knows(
    cast, decide, subscribe, receiver, noon, status, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    subscribe(cast.anna)
    receiver.status = status
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="x")
    assert len(receiver.received) == 1
    assert not PushSubscription.objects.filter(user=cast.anna).exists()


def test_it_keeps_a_subscription_when_the_push_service_has_a_passing_problem(
    cast, decide, subscribe, receiver, noon, caplog, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    subscription, _browser = subscribe(cast.anna)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="x")
    subscription.refresh_from_db()
    assert subscription.last_success_at is None
    assert "Daan" not in caplog.text and "anna" not in caplog.text.lower()


def test_it_tells_the_other_guardians_about_a_message_but_not_its_author(
    cast, statement, login, subscribe, receiver, noon, django_capture_on_commit_callbacks
):
    subscribe(cast.anna)
    _sub, chris = subscribe(cast.chris)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.anna).post(
            "/messaging/new/",
            {"child": cast.daan.code, "subject": "Geheim onderwerp", "body": "Geheime tekst"},
        )
    assert [item.path for item in receiver.received] == ["/push/chris"]
    (push,) = pushes_for(receiver, chris, "chris")
    assert push == {
        "title": "Ouderportaal",
        "body": "Nieuw bericht over Daan",
        "url": "/messaging/",
        "tag": "ouderportaal",
    }


def test_it_announces_news_to_the_parents_of_its_location_only(
    cast, statement, subscribe, receiver, noon, django_capture_on_commit_callbacks
):
    from newsletters.services import (
        PublicationContent,
        publication_create,
        publications_announce_due,
    )

    _sub, anna = subscribe(cast.anna)
    subscribe(cast.bram)  # Het Vogelnest: not this item's location
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(
            user=cast.lotte,
            kind="news",
            content=PublicationContent(
                title="Zomerfeest",
                body="<p>Op vrijdag</p>",
                for_all_locations=False,
                locations=[cast.loc1],
            ),
        )
    with django_capture_on_commit_callbacks(execute=True):
        publications_announce_due()
    assert [item.path for item in receiver.received] == ["/push/anna"]
    (push,) = pushes_for(receiver, anna, "anna")
    assert push["body"] == "Nieuws van de opvang"
    assert "Zomerfeest" not in str(push)


def test_it_tells_the_parent_about_the_outcome_of_their_data_request(
    cast, statement, subscribe, receiver, noon, django_capture_on_commit_callbacks
):
    from retention.services import request_close, request_file

    _sub, anna = subscribe(cast.anna)
    request = request_file(user=cast.anna, kind="access", child=None, explanation="Alles")
    with django_capture_on_commit_callbacks(execute=True):
        request_close(request=request, user=cast.service, outcome="Geheime uitkomst")
    (push,) = pushes_for(receiver, anna, "anna")
    assert push["body"] == "Er is nieuws over uw verzoek over gegevens"
    assert push["url"] == "/retention/"


def test_it_reminds_customer_service_of_deadlines_and_nobody_else(
    cast, statement, subscribe, receiver, django_capture_on_commit_callbacks
):
    from retention.services import request_file
    from retention.tasks import remind_deadlines_task

    _sub, service = subscribe(cast.service)
    subscribe(cast.anna)
    with time_machine.travel(datetime(2026, 11, 10, 12, 0, tzinfo=AMS), tick=False):
        request_file(user=cast.anna, kind="access", child=None, explanation="Alles")
    with (
        time_machine.travel(datetime(2026, 12, 7, 7, 30, tzinfo=AMS), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert remind_deadlines_task() == 1
    assert [item.path for item in receiver.received] == ["/push/klantenservice"]
    (push,) = pushes_for(receiver, service, "klantenservice")
    assert push["body"] == "Verzoeken over gegevens naderen hun termijn"


def test_it_speaks_the_persons_own_language():
    english = SimpleNamespace(language="en")
    assert payload(english, [("photos", "Daan", False)])["body"] == "New photos of Daan"
    assert payload(SimpleNamespace(), [("photos", "Daan", False)])["body"] == (
        "Nieuwe foto's van Daan"
    )


def test_it_sends_nothing_without_vapid_keys(
    cast, decide, subscribe, receiver, noon, settings, django_capture_on_commit_callbacks
):
    decide(cast.daan, Purpose.DIARY)
    subscribe(cast.anna)
    settings.VAPID_PRIVATE_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        diary_entry_write(author=cast.sanne, child=cast.daan, date=NOON.date(), text="x")
    assert receiver.received == []


def test_it_forgets_sent_pushes_after_two_days(cast, decide, subscribe, receiver):
    from push.tasks import send_due_pushes_task

    decide(cast.daan, Purpose.DIARY)
    subscribe(cast.anna)
    with time_machine.travel(NOON, tick=False):
        PendingPush.objects.create(
            user=cast.anna, kind="diary", child=cast.daan, key="k", ref="", due_at=NOON
        )
        assert send_due_pushes_task() == 1
    with time_machine.travel(datetime(2026, 12, 9, 12, 0, 1, tzinfo=AMS), tick=False):
        send_due_pushes_task()
    assert not PendingPush.objects.exists()
