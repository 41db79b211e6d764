"""R2: the outer wall (ConsentGateMiddleware in front of views marked with consent_gate) and the
inner wall (children_with_consent in querysets) each hold on their own. The diary and photo apps
are built in parallel, so the gate is exercised with RequestFactory and a decorated function
(no test-only URL in the project)."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from consent.gate import ConsentGateMiddleware, consent_gate
from consent.models import Purpose
from consent.selectors import children_with_consent
from daycare.models import Child

pytestmark = pytest.mark.django_db


@consent_gate(Purpose.PHOTOS)
def photos_view(request, child_code):
    return HttpResponse("photos of " + request.consented_child.first_name)


@consent_gate(Purpose.DIARY)
def diary_view(request, child_code):
    return HttpResponse("diary")


def through_gate(user, view, child):
    request = RequestFactory().get(f"/photos/children/{child.code}/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    middleware = ConsentGateMiddleware(lambda r: HttpResponse("unreachable"))
    kwargs = {"child_code": child.code}
    return middleware.process_view(request, view, (), kwargs) or view(request, **kwargs)


def test_it_sends_a_guardian_without_a_decision_to_the_choices(cast, statement):
    response = through_gate(cast.anna, photos_view, cast.daan)
    assert response.status_code == 302
    assert response["Location"].startswith("/consent/choices/?next=")


def test_it_opens_the_view_with_consent(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    response = through_gate(cast.anna, photos_view, cast.daan)
    assert response.status_code == 200
    assert response.content == b"photos of Daan"


def test_it_closes_the_view_on_the_request_after_a_withdrawal(cast, client, login, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    assert through_gate(cast.anna, photos_view, cast.daan).status_code == 200
    login(cast.chris)
    client.post(f"/consent/children/{cast.daan.code}/photos/", {"given": "no"})
    response = through_gate(cast.anna, photos_view, cast.daan)
    assert response.status_code == 403
    assert "Privacykeuzes" in response.content.decode()
    assert cast.daan not in children_with_consent(Purpose.PHOTOS)


def test_it_keeps_purposes_apart(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    decide(cast.daan, Purpose.DIARY, False, by=cast.anna)
    assert through_gate(cast.anna, photos_view, cast.daan).status_code == 200
    assert through_gate(cast.anna, diary_view, cast.daan).status_code == 403


def test_it_closes_the_view_for_staff_without_consent(cast, decide):
    response = through_gate(cast.sanne, diary_view, cast.daan)
    assert response.status_code == 403
    decide(cast.daan, Purpose.DIARY, True, by=cast.anna)
    assert through_gate(cast.sanne, diary_view, cast.daan).status_code == 200
    decide(cast.daan, Purpose.DIARY, False, by=cast.chris)
    assert through_gate(cast.sanne, diary_view, cast.daan).status_code == 403


def test_it_answers_404_to_strangers_even_with_consent(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    for stranger in (cast.dewi, cast.tom):
        with pytest.raises(Http404):
            through_gate(stranger, photos_view, cast.daan)


def test_it_leaves_unmarked_views_alone(cast, statement):
    def plain(request, child_code):
        return HttpResponse("plain")

    assert through_gate(cast.anna, plain, cast.daan).content == b"plain"


def test_it_filters_the_inner_wall_in_sql(cast, decide, django_assert_num_queries):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.chris)
    decide(cast.mila, Purpose.PHOTOS, True)
    decide(cast.eva, Purpose.PHOTOS, False)
    with django_assert_num_queries(1):
        names = sorted(children_with_consent(Purpose.PHOTOS).values_list("first_name", flat=True))
    assert names == ["Daan", "Mila"]
    assert list(children_with_consent(Purpose.DIARY)) == []
    # A guardian who is no longer a guardian does not count, for or against.
    decide(cast.mila, Purpose.DIARY, True)
    from daycare.services import guardianship_add, guardianship_remove

    guardianship_add(user=cast.bram, child=cast.mila, relation="parent", added_by=None)
    decide(cast.mila, Purpose.DIARY, False, by=cast.bram)
    assert cast.mila not in children_with_consent(Purpose.DIARY)
    guardianship_remove(
        guardianship=cast.mila.guardianships.get(user=cast.bram),
        removed_by=cast.service,
        reason="x",
    )
    assert cast.mila in children_with_consent(Purpose.DIARY)


def test_it_closes_archived_children_through_access(cast, decide):
    decide(cast.daan, Purpose.PHOTOS, True, by=cast.anna)
    Child.objects.filter(pk=cast.daan.pk).update(archived_at=timezone.now())
    with pytest.raises(Http404):
        through_gate(cast.anna, photos_view, cast.daan)


@pytest.mark.parametrize(
    ("purpose", "url"), [("diary", "/diary/{code}/"), ("photos", "/photos/child/{code}/")]
)
def test_it_closes_the_real_diary_and_photo_pages_on_the_next_request(
    cast, client, login, decide, purpose, url
):
    url = url.format(code=cast.daan.code)
    login(cast.anna)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/consent/choices/")
    client.post(f"/consent/children/{cast.daan.code}/{purpose}/", {"given": "yes"})
    assert client.get(url).status_code == 200
    login(cast.chris)
    client.post(f"/consent/children/{cast.daan.code}/{purpose}/", {"given": "no"})
    login(cast.anna)
    response = client.get(url)
    assert response.status_code == 403
    assert "/consent/" in response.content.decode()
    login(cast.sanne)
    assert client.get(url).status_code in (403, 404)
