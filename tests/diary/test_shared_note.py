"""One note for several children: excluded children (no diary consent) are shown with the
reason before saving; the note lands in the diary of each consented child."""

from django.utils import timezone

from consent.models import Purpose
from diary.models import DiaryEntry


def _data(children, action, text="Naar de kinderboerderij geweest!"):
    return {
        "date": timezone.localdate().isoformat(),
        "children": [child.code for child in children],
        "text": text,
        "activities": ["outing"],
        "action": action,
    }


def test_it_previews_who_is_excluded_and_why_before_saving(consented, staff, client, decide):
    cast = consented
    decide(cast.mila, Purpose.DIARY, given=False, by=cast.dewi)
    staff(cast.sanne)
    url = f"/staff/diary/groups/{cast.group_a.code}/note/"
    page = client.get(url).content.decode()
    assert "Mila" in page and "geen toestemming voor dagboek" in page
    response = client.post(url, _data([cast.daan, cast.eva, cast.mila], "preview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Uitgesloten (geen toestemming voor het dagboek):" in page
    assert "Mila Bakker: toestemming geweigerd" in page
    assert not DiaryEntry.objects.exists()


def test_it_saves_the_note_for_each_consented_child(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    url = f"/staff/diary/groups/{cast.group_a.code}/note/"
    response = client.post(url, _data([cast.daan, cast.eva], "save"))
    assert response.status_code == 302
    entries = list(DiaryEntry.objects.select_related("day__child"))
    assert {entry.day.child for entry in entries} == {cast.daan, cast.eva}
    assert len({entry.shared_code for entry in entries}) == 1 and entries[0].shared_code
    assert all(entry.items == {"activities": ["outing"]} for entry in entries)


def test_it_leaves_out_children_whose_consent_is_gone_at_saving(consented, staff, client, decide):
    cast = consented
    staff(cast.sanne)
    decide(cast.eva, Purpose.DIARY, given=False, by=cast.anna)
    response = client.post(
        f"/staff/diary/groups/{cast.group_a.code}/note/", _data([cast.daan, cast.eva], "save")
    )
    assert response.status_code == 302
    assert [e.day.child for e in DiaryEntry.objects.all()] == [cast.daan]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Niet toegevoegd voor Eva" in m for m in messages)


def test_it_saves_nothing_when_no_chosen_child_has_consent(consented, staff, client, decide):
    cast = consented
    decide(cast.mila, Purpose.DIARY, given=False, by=cast.dewi)
    staff(cast.sanne)
    response = client.post(
        f"/staff/diary/groups/{cast.group_a.code}/note/", _data([cast.mila], "save")
    )
    assert response.status_code == 400
    assert "Geen van de gekozen kinderen heeft toestemming" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_a_child_of_another_group(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    response = client.post(
        f"/staff/diary/groups/{cast.group_a.code}/note/", _data([cast.daan, cast.finn], "save")
    )
    assert response.status_code == 404
    assert not DiaryEntry.objects.exists()
    forged = client.post(
        f"/staff/diary/groups/{cast.group_a.code}/note/",
        {**_data([cast.daan], "save"), "children": [cast.daan.pk]},  # a primary key
    )
    assert forged.status_code == 404 and not DiaryEntry.objects.exists()


def test_it_refuses_empty_text_no_children_and_future_dates(consented, staff, client):
    cast = consented
    staff(cast.sanne)
    url = f"/staff/diary/groups/{cast.group_a.code}/note/"
    assert client.post(url, _data([cast.daan], "save", text="  ")).status_code == 400
    assert "Kies ten minste één kind." in client.post(url, _data([], "save")).content.decode()
    data = _data([cast.daan], "save")
    data["date"] = "2999-01-01"
    assert "toekomst" in client.post(url, data).content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_answers_404_to_another_groups_worker(consented, staff, client):
    cast = consented
    staff(cast.tom)
    url = f"/staff/diary/groups/{cast.group_a.code}/note/"
    assert client.get(url).status_code == 404
    assert client.post(url, _data([cast.daan], "save")).status_code == 404
    assert not DiaryEntry.objects.exists()
