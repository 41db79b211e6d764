"""R2: no diary page, entry or note for a child without diary consent, for parents and staff;
entries are hidden while consent is withdrawn and return when it is given again."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.models import Purpose
from consent.selectors import has_consent
from diary.models import DiaryDay, DiaryEntry


def _urls(cast, entry):
    daan = cast.daan.code
    return {
        "anna": [
            f"/diary/{daan}/",
            f"/diary/{daan}/print/",
            f"/diary/{daan}/note/",
        ],
        "sanne": [
            f"/staff/diary/children/{daan}/",
            f"/staff/diary/children/{daan}/timeline/",
            f"/staff/diary/children/{daan}/print/",
        ],
        "sanne_entry": [f"/staff/diary/entries/{entry.code}/edit/"],
    }


def test_it_closes_every_diary_url_of_a_child_on_the_request_after_withdrawal(
    consented, login, client, decide, entry_on
):
    cast = consented
    entry = entry_on(cast.daan, text="Een mooie dag")
    note = entry_on(cast.daan, text="Van Anna", author=cast.anna, kind="parent")
    urls = _urls(cast, entry)
    urls["anna_entry"] = [f"/diary/notes/{note.code}/edit/"]
    login(cast.anna)
    for url in urls["anna"] + urls["anna_entry"]:
        assert client.get(url).status_code == 200, url
    login(cast.sanne)
    for url in urls["sanne"] + urls["sanne_entry"]:
        assert client.get(url).status_code == 200, url

    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)

    login(cast.anna)
    for url in urls["anna"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Een mooie dag" not in response.content
    for url in urls["anna_entry"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/diary/notes/{note.code}/remove/").status_code == 404
    login(cast.sanne)
    for url in urls["sanne"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Een mooie dag" not in response.content
    for url in urls["sanne_entry"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "anders"}).status_code == 404
    assert client.post(f"/staff/diary/entries/{entry.code}/remove/").status_code == 404
    assert DiaryEntry.objects.filter(pk=entry.pk, text="Een mooie dag").exists()
    assert DiaryEntry.objects.filter(pk=note.pk).exists()


def test_it_sends_an_undecided_parent_to_the_choices_page(cast, statement, login, client):
    login(cast.anna)
    response = client.get(f"/diary/{cast.daan.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/consent/choices/")


def test_it_refuses_a_second_guardians_withdrawal_for_both_parents(
    consented, login, client, decide, entry_on
):
    cast = consented
    entry_on(cast.daan, text="Verborgen na intrekking")
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.chris)
    login(cast.anna)
    response = client.get(f"/diary/{cast.daan.code}/")
    assert response.status_code == 403
    assert "Verborgen" not in response.content.decode()


def test_it_shows_the_entries_again_when_consent_is_given_again(
    consented, login, client, decide, entry_on
):
    cast = consented
    entry_on(cast.daan, text="Terug van weggeweest")
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    login(cast.anna)
    assert client.get(f"/diary/{cast.daan.code}/").status_code == 403
    decide(cast.daan, Purpose.DIARY, given=True, by=cast.anna)
    response = client.get(f"/diary/{cast.daan.code}/")
    assert response.status_code == 200
    assert "Terug van weggeweest" in response.content.decode()


def test_it_hides_entries_in_the_selector_alone_after_withdrawal(consented, decide, entry_on):
    """The inner wall holds without the middleware: visible_to applies consent in SQL."""
    cast = consented
    entry = entry_on(cast.daan)
    for user in (cast.anna, cast.sanne, cast.lotte, cast.service):
        assert list(DiaryEntry.objects.visible_to(user)) == [entry]
        assert DiaryDay.objects.visible_to(user).count() == 1
    decide(cast.daan, Purpose.DIARY, given=False, by=cast.anna)
    for user in (cast.anna, cast.chris, cast.sanne, cast.lotte, cast.service):
        assert not DiaryEntry.objects.visible_to(user).exists()
        assert not DiaryDay.objects.visible_to(user).exists()
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()  # hidden, not destroyed
    decide(cast.daan, Purpose.DIARY, given=True, by=cast.anna)
    assert list(DiaryEntry.objects.visible_to(cast.sanne)) == [entry]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    decisions=st.lists(
        st.tuples(st.sampled_from(["anna", "chris"]), st.booleans()), min_size=0, max_size=6
    )
)
def test_it_shows_entries_exactly_while_the_consent_rule_holds(
    consented, decide, entry_on, decisions
):
    """Property: whatever anna and chris decide in whatever order, Daan's entries are
    visible to the group worker exactly when the consent rule says diary consent holds."""
    cast = consented
    DiaryEntry.objects.all().delete()
    entry_on(cast.daan)
    for who, yes in decisions:
        decide(cast.daan, Purpose.DIARY, given=yes, by=cast.users[who])
    visible = DiaryEntry.objects.visible_to(cast.sanne).filter(day__child=cast.daan).exists()
    assert visible == has_consent(cast.daan, Purpose.DIARY)
    decide(cast.daan, Purpose.DIARY, given=True, by=cast.anna)
    decide(cast.daan, Purpose.DIARY, given=True, by=cast.chris)


def test_it_refuses_writing_for_a_child_without_diary_consent(consented, login, client):
    cast = consented
    login(cast.tom)
    response = client.post(
        f"/staff/diary/children/{cast.finn.code}/",
        {"date": "2026-01-01", "text": "Geen toestemming"},
    )
    assert response.status_code == 403
    assert "consent/feature_off.html" in [t.name for t in response.templates]
    assert response.context["purpose"] == Purpose.DIARY
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_service_write_without_consent_with_a_message(consented):
    import pytest
    from django.utils import timezone

    from core.errors import DomainError
    from diary.services import diary_entry_write

    with pytest.raises(DomainError, match="Finn"):
        diary_entry_write(
            author=consented.tom, child=consented.finn, date=timezone.localdate(), text="x"
        )
    assert not DiaryEntry.objects.exists()
