"""The work every request pays, and file requests' lean path (issue 16).

The privacy-statement check and whether a person has a staff role come with the request's user,
in the query that reads them (portal/backends.py); the retention banner with the parent
navigation's query. A file (a photo size, a message attachment) costs the session, the user and
the one query that decides it. None of it is cached: a new statement, a withdrawn consent or a
staff role taken away counts on the very next request (fail closed).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent.models import PrivacyStatement
from daycare.models import StaffAssignment
from messaging.models import Attachment
from tests.daycare.test_today import photo_today, write_day
from tests.messaging.conftest import jpeg_with_exif
from tests.photos.conftest import make_photo  # noqa: F401 - fixture

# The session, the user (with the statement check and "any staff role?"), the photo.
FILE_QUERIES = 3
# The above less the photo, then: the navigation (children, badges, retention banner), the
# children's consent, the diary days and entries, the photos, absences and news of today.
VANDAAG_QUERIES = 9


@pytest.mark.parametrize("size", ["thumb", "display", "original"])
def test_it_decides_a_photo_file_in_three_queries(
    consented,
    login,
    client,
    make_photo,  # noqa: F811
    size,
    django_assert_num_queries,
):
    photo = make_photo(consented.daan)
    login(consented.anna)
    client.get("/")  # the first request after login writes the session's clocks
    url = reverse("photos:file", args=[photo.code, size])
    with django_assert_num_queries(FILE_QUERIES):
        assert client.get(url).status_code == 200


def test_it_decides_a_message_attachment_in_three_queries(
    consented, login, client, django_assert_num_queries
):
    login(consented.anna)
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), "image/jpeg")
    client.post(
        "/messaging/new/",
        {"child": consented.daan.code, "subject": "Foto", "body": "Kijk", "attachments": [photo]},
    )
    attachment = Attachment.objects.get()
    client.get("/messaging/")  # after the redirect: the session's clocks are written
    with django_assert_num_queries(FILE_QUERIES):
        assert client.get(f"/messaging/attachments/{attachment.code}/").status_code == 200


def vandaag_queries(client, django_assert_num_queries):
    with django_assert_num_queries(VANDAAG_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    return response


def test_it_shows_vandaag_in_nine_queries_with_1_or_20_photos_today(
    consented, login, client, django_assert_num_queries
):
    cast = consented
    write_day(cast.daan, cast.sanne)
    photo_today(cast.group_a, cast.sanne, [cast.daan])
    login(cast.anna)
    client.get("/")
    vandaag_queries(client, django_assert_num_queries)
    for _ in range(19):
        photo_today(cast.group_a, cast.sanne, [cast.daan, cast.eva])
    page = vandaag_queries(client, django_assert_num_queries)
    assert page.text.count("/thumb/") >= 20


def test_it_asks_for_a_new_statement_on_the_very_next_request(
    consented,
    login,
    client,
    make_photo,  # noqa: F811
):
    photo = make_photo(consented.daan)
    login(consented.anna)
    thumb = reverse("photos:file", args=[photo.code, "thumb"])
    assert client.get("/").status_code == 200
    assert client.get(thumb).status_code == 200
    PrivacyStatement.objects.create(
        version=2,
        text_nl="Nieuwe privacyverklaring",
        text_en="New privacy statement",
        published_at=timezone.now(),
    )
    for url in ("/", thumb):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("consent:statement"))


def test_it_takes_a_staff_role_away_on_the_very_next_request(cast, login, client):
    login(cast.sanne)
    group_page = f"/staff/groups/{cast.group_a.code}/"
    assert client.get(group_page).status_code == 200
    StaffAssignment.objects.filter(user=cast.sanne).delete()
    assert client.get(group_page).status_code == 404


def test_it_gives_a_new_staff_role_on_the_very_next_request(cast, login, client):
    login(cast.tom)
    group_page = f"/staff/groups/{cast.group_a.code}/"
    assert client.get(group_page).status_code == 404
    StaffAssignment.objects.create(
        user=cast.tom, role=StaffAssignment.Role.GROUP_WORKER, group=cast.group_a
    )
    assert client.get(group_page).status_code == 200
